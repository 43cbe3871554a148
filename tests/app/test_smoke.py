from server import urls


def test_request_form_opens(client, clinic):
    response = client.get(urls.request_link(clinic).replace("http://frontdesk.test", ""))
    assert response.status_code == 200
    assert "Request a service" in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers
