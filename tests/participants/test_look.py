"""An organisation's own look (issue 12): colours checked for contrast when saved, a logo
checked to be a harmless PNG or SVG, both served to its pages and its clients' pages."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from participants import branding
from participants.constants import Role
from participants.models import Organisation, OrganisationLogo
from tests.factories import (
    EvaluationFactory,
    MembershipFactory,
    OrganisationFactory,
    PanelMemberFactory,
    SessionFactory,
)
from tests.fixtures import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return OrganisationFactory(name="Gemeente Alfa")


@pytest.fixture
def admin_client(client, org):
    beheerder = MembershipFactory(organisation=org, role=Role.ADMIN).user
    return login(client, beheerder)


def settings_post(client, org, **look):
    data = {"retention_days": 180, **{f"look-{k}": v for k, v in look.items()}}
    return client.post(f"/organisations/{org.pk}/settings/", data)


def png(width=120, height=40):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "#1d4e6e").save(buffer, "PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def test_contrast_is_the_wcag_ratio():
    assert branding.contrast("#000000", "#ffffff") == pytest.approx(21)
    assert branding.contrast("#dee2e6", "#ffffff") == pytest.approx(1.3, abs=0.05)
    assert branding.contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_a_beheerder_saves_colours_with_enough_contrast(admin_client, org):
    response = settings_post(
        admin_client, org, brand_color="#1D4E6E", link_color="#00568b", form_border_color="#767676"
    )

    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.brand_color, org.link_color, org.form_border_color) == (
        "#1d4e6e",
        "#00568b",
        "#767676",
    )
    css = admin_client.get(f"/huisstijl/{org.pk}/tokens.css")
    assert css["Content-Type"].startswith("text/css")
    assert "--spiegel-primary: #1d4e6e;" in css.content.decode()
    assert "--spiegel-form-border: #767676;" in css.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("brand_color", "#8ecef6", "De hoofdkleur heeft te weinig contrast met wit"),
        ("link_color", "#999999", "De kleur van links heeft te weinig contrast met wit"),
        # #dee2e6, Bootstrap's grey, is 1,3:1: too faint for a field's edge (3:1).
        ("form_border_color", "#dee2e6", "1,3:1, minstens 3:1"),
        ("brand_color", "blue", "Geef een kleur als #rrggbb"),
    ],
)
def test_a_colour_with_too_little_contrast_is_refused_in_dutch(
    admin_client, org, field, value, message
):
    response = settings_post(admin_client, org, **{field: value})

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "data-error-summary" in page  # the summary at the top, with a link to the field
    assert f'href="#id_look-{field}"' in page
    org.refresh_from_db()
    assert getattr(org, field) == ""


def test_a_png_logo_is_stored_and_served(admin_client, org):
    response = admin_client.post(
        f"/organisations/{org.pk}/settings/", {"retention_days": 180, "look-logo": png()}
    )

    assert response.status_code == 302
    logo = admin_client.get(f"/huisstijl/{org.pk}/logo")
    assert logo["Content-Type"] == "image/png"
    assert bytes(logo.content).startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "script"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "scripts of links"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><image href="https://x.nl/a.png"/></svg>',
            "image",
        ),
        (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aa">]><svg>&a;</svg>', "DOCTYPE"),
        (b"GIF89a....", "PNG- of SVG-bestand"),
    ],
)
def test_a_logo_that_could_do_harm_is_refused(admin_client, org, content, message):
    upload = SimpleUploadedFile("logo.svg", content, content_type="image/svg+xml")

    response = admin_client.post(
        f"/organisations/{org.pk}/settings/", {"retention_days": 180, "look-logo": upload}
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not OrganisationLogo.objects.exists()


def test_a_logo_too_large_is_refused(admin_client, org):
    response = admin_client.post(
        f"/organisations/{org.pk}/settings/", {"retention_days": 180, "look-logo": png(2400, 40)}
    )

    assert "hoogstens 2000 pixels" in response.content.decode()
    assert not OrganisationLogo.objects.exists()


def test_a_plain_svg_logo_is_accepted_and_served_sandboxed(admin_client, org):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#1d4e6e"/></svg>'  # noqa: E501
    upload = SimpleUploadedFile("logo.svg", svg, content_type="image/svg+xml")

    admin_client.post(
        f"/organisations/{org.pk}/settings/", {"retention_days": 180, "look-logo": upload}
    )

    logo = admin_client.get(f"/huisstijl/{org.pk}/logo")
    assert logo["Content-Type"] == "image/svg+xml"
    assert "sandbox" in logo["Content-Security-Policy"]


def test_the_organisations_pages_and_its_clients_pages_wear_its_look(client, org):
    Organisation.objects.filter(pk=org.pk).update(brand_color="#1d4e6e")
    OrganisationLogo.objects.create(organisation=org, content_type="image/png", data=b"x")
    session = SessionFactory(organisations=[org])
    member = PanelMemberFactory(session=session)
    evaluation = EvaluationFactory(session=session, panel_member=member)
    tokens = f'href="/huisstijl/{org.pk}/tokens.css"'

    page = login(client, session.facilitator).get(f"/sessions/{session.pk}/").content.decode()
    assert tokens in page
    assert f'src="/huisstijl/{org.pk}/logo" alt="Gemeente Alfa"' in page
    client.logout()
    assert tokens in client.get(f"/e/{evaluation.token}/").content.decode()


def test_an_organisation_without_a_look_adds_no_stylesheet(client, org):
    session = SessionFactory(organisations=[org])

    page = login(client, session.facilitator).get(f"/sessions/{session.pk}/").content.decode()

    assert "/huisstijl/" not in page


def test_a_joint_session_takes_its_colours_and_its_logo_each_from_the_first_that_has_them(
    client, org
):
    """Of a session's organisations, by key: the first with colours of its own gives the
    stylesheet, the first with a logo the logo; they may be two different organisations."""
    plain = OrganisationFactory(name="Gemeente Beta")
    coloured = OrganisationFactory(name="Gemeente Gamma", link_color="#1d4e6e")
    later = OrganisationFactory(name="Gemeente Delta", brand_color="#1d4e6e")
    OrganisationLogo.objects.create(organisation=org, content_type="image/png", data=b"x")
    session = SessionFactory(organisations=[later, coloured, plain, org])

    look = branding.page_look(session.organisations_with_logos)

    assert (look.organisation, look.logo, look.logo_name) == (coloured.pk, org.pk, org.name)
    page = login(client, session.facilitator).get(f"/sessions/{session.pk}/").content.decode()
    assert f'href="/huisstijl/{coloured.pk}/tokens.css"' in page
    assert f'src="/huisstijl/{org.pk}/logo" alt="{org.name}"' in page
