"""The consistency check's links (contracting's listing paths) become the portal's pages of the same rows."""

from portal.web.tools import portal_link


def test_each_listing_path_of_the_api_becomes_the_portals_page() -> None:
    c, i, s = "c1", "i2", "s3"
    assert portal_link(f"/collections/{c}/institutions") == f"/contractering/{c}"
    assert (
        portal_link(f"/collections/{c}/institutions/{i}/departments")
        == f"/contractering/{c}/instellingen/{i}/afdelingen"
    )
    assert (
        portal_link(f"/collections/{c}/institutions/{i}/departments/{s}/conditions")
        == f"/contractering/{c}/instellingen/{i}/afdelingen/{s}/aandoeningen"
    )
    assert portal_link("/elders") == "/contractering"
