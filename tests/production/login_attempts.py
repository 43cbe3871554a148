"""One app process of several: `python -m tests.production.login_attempts COUNT KEY_PREFIX` signs in
with a wrong password COUNT times through its own create_app() and prints the status codes, one a line.
Settings come from the FRONTDESK_* environment, as in a real deployment."""

import sys

from frontdesk import create_app

from tests.pages import csrf_token


def main(count, key_prefix):
    app = create_app({"RATELIMIT_KEY_PREFIX": key_prefix})
    client = app.test_client()
    for _ in range(count):
        token = csrf_token(client.get("/workstation/login"))
        response = client.post(
            "/workstation/login", data={"email": "owner@harbour.example", "password": "wrong", "csrf_token": token}
        )
        print(response.status_code)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
