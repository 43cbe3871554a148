"""GET /health: what a load balancer asks before sending clients to this host."""

from frontdesk import create_app

from tests.conftest import Auth, free_port


def test_healthy_with_the_database(app, client, clinic):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok\n"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


def test_sets_no_cookie_even_for_a_signed_in_professional(app, client, clinic):
    assert Auth(client).login().status_code == 302
    response = client.get("/health")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_unhealthy_when_the_database_cannot_be_reached(tmp_path):
    unreachable = f"postgresql://postgres@127.0.0.1:{free_port()}/frontdesk?connect_timeout=2"
    app = create_app({"DATABASE_URL": unreachable, "SECRET_KEYS": ["test-key"]})
    app.instance_path = str(tmp_path)
    response = app.test_client().get("/health")
    assert response.status_code == 503
    assert response.get_data(as_text=True) == "database unavailable\n"
    assert response.headers["Cache-Control"] == "no-store"
