"""The store behind kept pages (page_cache.PageCache): a page with an end is not served from that instant,
and the store holds at most its size in characters, the least recently served page going first."""

import datetime as dt

from frontdesk.page_cache import PageCache

NOW = dt.datetime(2027, 5, 10, 12)


def test_a_page_is_not_served_from_the_instant_it_goes_out_of_date():
    cache = PageCache()
    cache.put("calendar", "<p>10:00</p>", until=NOW)
    cache.put("form", "<form>")
    assert cache.get("calendar", NOW - dt.timedelta(microseconds=1)) == "<p>10:00</p>"
    assert cache.get("calendar", NOW) is None
    assert cache.get("form", NOW) == "<form>", "a page without an end stays"


def test_the_store_holds_at_most_its_size_in_characters_least_recently_served_first():
    cache = PageCache(size=10)
    cache.put("a", "aaaa")
    cache.put("b", "bbbb")
    assert cache.get("a") == "aaaa"  # now b is the least recently served
    cache.put("c", "cccc")
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == ("aaaa", None, "cccc")
    cache.put("a", "a")  # a page kept again counts once
    assert cache.chars == 5
