#!/usr/bin/env python3
"""Browser tests of the LAYAR portal: a real Chromium driven over WebDriver (Selenium), against
the real services started by deploy/local/browser-test.sh.

On a phone-sized screen a citizen submits a referral with a document and gets a tracking code,
sees field errors for a bad NIK, tracks the referral; a verifier logs in and verifies it; the
monitoring dashboard renders its charts. Every page visited is checked for labelled inputs, and
the form for keyboard reach. Screenshots of the key pages go to $LAYAR_ARTIFACTS_DIR.
"""
import base64
import json
import os
import struct
import sys
import tempfile
import time
import unittest
import urllib.request
import zlib

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException, WebDriverException
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

# While a page replaces itself (a form posted, a redirect), reading an element can fail with a
# stale reference or "node does not belong to the document": a wait polls again.
TRANSIENT = (StaleElementReferenceException, WebDriverException)

BASE = os.environ.get("LAYAR_PORTAL_URL", "http://127.0.0.1:8080").rstrip("/")
ADMIN_USER = os.environ.get("LAYAR_PORTAL_ADMIN_USER", "admin")
ADMIN_PASSWORD = os.environ.get("LAYAR_PORTAL_ADMIN_PASSWORD", "layar-admin-dev")
ARTIFACTS = os.environ.get("LAYAR_ARTIFACTS_DIR", os.path.join(tempfile.gettempdir(), "layar-browser"))
# An invented person (no real NIK): a woman born 12 March 1958 whose KTP was issued in
# Banjarmasin (63.71) and who now lives in Paringin. The serial makes each run a new person.
SERIAL = int.from_bytes(os.urandom(2), "big") % 9000 + 1000
NIK = "637101520358" + f"{SERIAL:04d}"
BIRTH_DATE = "1958-03-12"


def png_bytes(width=8, height=8):
    """A tiny valid PNG (the intake service decides the type from the bytes)."""
    raw = b"".join(b"\x00" + b"\x0b\x5d\x4b" * width for _ in range(height))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


class PortalInBrowser(unittest.TestCase):
    driver = None
    tracking_code = None
    unidentified_codes = None
    tracking_pin = None

    @classmethod
    def setUpClass(cls):
        os.makedirs(ARTIFACTS, exist_ok=True)
        options = webdriver.ChromeOptions()
        options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
        for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--lang=id-ID"):
            options.add_argument(argument)
        # A cheap Android phone: a 360 × 740 CSS-pixel window with a mobile user agent. (Chromedriver's
        # mobileEmulation misplaces clicks after scrolling, so the window itself is phone-sized.)
        options.add_argument("--window-size=360,740")
        options.add_argument("--user-agent=Mozilla/5.0 (Linux; Android 11; SM-A022F) AppleWebKit/537.36 "
                             "(KHTML, like Gecko) Chrome/120 Mobile Safari/537.36")
        service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
        cls.driver = webdriver.Chrome(service=service, options=options)
        cls.driver.set_page_load_timeout(30)
        # Headless Chromium keeps windows at least 500 px wide: narrow the layout viewport to the phone's.
        cls.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                   {"width": 360, "height": 740, "deviceScaleFactor": 2, "mobile": False})
        cls.document = os.path.join(ARTIFACTS, "ktp.png")
        with open(cls.document, "wb") as file:
            file.write(png_bytes())

    @classmethod
    def tearDownClass(cls):
        if cls.driver:
            cls.driver.quit()

    # Helpers -------------------------------------------------------------------------------

    def open(self, path):
        self.driver.get(BASE + path)

    def shot(self, name, width=360):
        """The whole page, not only the part on screen, `width` CSS pixels wide."""
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        data = self.driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": min(height, 6000), "scale": 1},
        })["data"]
        with open(os.path.join(ARTIFACTS, f"{name}.png"), "wb") as file:
            file.write(base64.b64decode(data))

    def shot_desktop(self, name):
        """The page as a 1280 px desktop shows it, beside the phone's."""
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False})
        try:
            self.driver.refresh()
            self.shot(f"{name}-1280", width=1280)
        finally:
            self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                        {"width": 360, "height": 740, "deviceScaleFactor": 2, "mobile": False})

    def by_id(self, element_id):
        return self.driver.find_element(By.ID, element_id)

    def wait_for(self, element_id, timeout=15):
        try:
            return WebDriverWait(self.driver, timeout, ignored_exceptions=TRANSIENT).until(EC.presence_of_element_located((By.ID, element_id)))
        except TimeoutException:
            self.shot(f"gagal-{self._testMethodName}")
            page = self.driver.find_element(By.TAG_NAME, "main").text[:600]
            raise AssertionError(f"#{element_id} not on {self.driver.current_url}; the page says: {page}") from None

    def field(self, name):
        return self.driver.find_element(By.CSS_SELECTOR, f'main [name="{name}"]')

    def wait_text(self, element_id, text, timeout=15):
        """Waits until #element_id says `text`; on time-out, the page's message is the failure."""
        try:
            WebDriverWait(self.driver, timeout, ignored_exceptions=TRANSIENT).until(
                lambda d: any(text in e.text for e in d.find_elements(By.ID, element_id)))
        except TimeoutException:
            self.shot(f"gagal-{self._testMethodName}")
            page = self.driver.find_element(By.TAG_NAME, "main").text[:600]
            raise AssertionError(f"#{element_id} never said '{text}' on {self.driver.current_url}: {page}") from None

    def type(self, name, text):
        field = self.field(name)
        field.clear()
        field.send_keys(text)

    def set_date(self, name, value):
        # Date pickers differ by locale; set the ISO value the input submits.
        self.driver.execute_script("arguments[0].value = arguments[1]", self.field(name), value)

    def choose(self, name, value):
        choice = self.driver.find_element(By.CSS_SELECTOR, f'main input[name="{name}"][value="{value}"]')
        if not choice.is_selected():  # a restored draft may have ticked it already
            choice.click()

    def select(self, name, value):
        Select(self.field(name)).select_by_value(value)

    def assert_every_input_labelled(self):
        """Every visible input, select and textarea has a label (for=id, or wrapping it)."""
        unlabelled = self.driver.execute_script("""
            return Array.from(document.querySelectorAll('input, select, textarea'))
              .filter(el => el.type !== 'hidden')
              .filter(el => !(el.labels && el.labels.length > 0) && !el.getAttribute('aria-label'))
              .map(el => el.name || el.id);
        """)
        self.assertEqual(unlabelled, [], f"unlabelled inputs on {self.driver.current_url}")

    def fill_referral(self, nik):
        self.type("person.full_name", "Siti Aminah Uji")
        self.type("person.nik", nik)
        self.choose("person.sex", "2")
        self.type("person.birth_place", "Banjarmasin")
        self.set_date("person.birth_date", BIRTH_DATE)
        self.select("person.address.kecamatan_code", "63.11.06")
        self.select("person.address.desa_code", "63.11.06.1023")
        self.type("person.address.rt", "3")
        self.fill_request("PPKS-08", "Lansia tinggal sendiri, tidak ada keluarga yang merawat.", urgency="1",
                          relationship="4", applicant="Budi (aparat desa)", giver="1", given_by="Siti Aminah")

    def fill_request(self, ppks, description, urgency, relationship, applicant, giver, given_by):
        """The form's sections after the person: the problem, the applicant (by SMS), the consent."""
        self.select("ppks_kind", ppks)
        self.type("description", description)
        self.choose("needs", "7")
        self.choose("urgency", urgency)
        self.select("applicant.relationship", relationship)
        self.type("applicant.name", applicant)
        self.type("applicant.phone", "0812-3456-7890")
        self.choose("applicant.preferred_channel", "1")
        self.choose("consent.giver", giver)
        self.type("consent.given_by", given_by)
        consent = self.by_id("f-consent-given")
        if not consent.is_selected():
            consent.click()

    def submit_form(self):
        button = self.driver.find_element(By.CSS_SELECTOR, "form button[type=submit].primary")
        self.driver.execute_script("arguments[0].scrollIntoView()", button)
        button.click()

    # The citizen's path ----------------------------------------------------------------------

    def test_01_home_and_pwa(self):
        self.open("/")
        self.assertIn("LAYAR", self.driver.title)
        self.assert_every_input_labelled()
        self.shot("01-beranda")
        manifest = json.load(urllib.request.urlopen(BASE + "/manifest.webmanifest", timeout=10))
        self.assertEqual(manifest["start_url"], "/")
        sizes = {icon["sizes"] for icon in manifest["icons"]}
        self.assertTrue({"192x192", "512x512"} <= sizes)
        for icon in manifest["icons"]:
            body = urllib.request.urlopen(BASE + icon["src"], timeout=10).read()
            self.assertTrue(body.startswith(b"\x89PNG") or body.startswith(b"<svg"), icon["src"])
        # The service worker registers (the page's script does it).
        registered = self.driver.execute_async_script("""
            const done = arguments[arguments.length - 1];
            navigator.serviceWorker.ready.then(r => done(!!r.active), () => done(false));
            setTimeout(() => done(false), 8000);
        """)
        self.assertTrue(registered, "service worker not active")

    def test_02_bad_nik_shows_field_error(self):
        self.open("/rujukan")
        self.assert_every_input_labelled()
        self.fill_referral("1234")
        self.submit_form()
        error = self.wait_for("f-person-nik-error")
        self.assertIn("NIK", error.text)
        self.assertEqual(self.by_id("f-person-nik").get_attribute("aria-invalid"), "true")
        # The summary at the top links to the field, and the value typed is kept.
        self.assertTrue(self.driver.find_elements(By.CSS_SELECTOR, '#ringkasan-kesalahan a[href="#f-person-nik"]'))
        self.assertEqual(self.by_id("f-person-full-name").get_attribute("value"), "Siti Aminah Uji")
        self.shot("02-nik-salah")

    def test_03_keyboard_reaches_the_form(self):
        self.open("/rujukan")
        reached = set()
        for _ in range(80):
            ActionChains(self.driver).send_keys(Keys.TAB).perform()
            element = self.driver.switch_to.active_element
            reached.add(element.get_attribute("id") or element.get_attribute("name") or element.tag_name)
        for expected in ("f-person-full-name", "f-person-nik", "f-person-address-kecamatan-code", "f-description"):
            self.assertIn(expected, reached)

    def test_03b_draft_keeps_no_personal_field_and_each_form_its_own_request_id(self):
        """On a shared village phone the draft holds the choices only, and a form opened again (from
        the service worker's cache when offline) never repeats an earlier form's request_id."""
        self.open("/rujukan")
        self.fill_referral("6371055203580001")
        draft = self.driver.execute_script("""
            return Object.keys(localStorage).filter(k => k.indexOf('layar-draft-') === 0).map(k => localStorage.getItem(k)).join('');
        """)
        self.assertIn("63.11.06", draft, "the draft keeps the choices")
        for personal in ("Siti Aminah", "6371055203580001", "Banjarmasin", "0812", "Budi", "Lansia tinggal", BIRTH_DATE):
            self.assertNotIn(personal, draft, f"the draft on the phone holds {personal!r}")
        seen = {self.field("request_id").get_attribute("value")}
        self.open("/rujukan")
        seen.add(self.field("request_id").get_attribute("value"))
        try:
            self.driver.set_network_conditions(offline=True, latency=0, download_throughput=0, upload_throughput=0)
            for _ in range(2):
                self.driver.get(BASE + "/rujukan")  # served by the service worker's cache
                seen.add(self.wait_for("f-person-nik") and self.field("request_id").get_attribute("value"))
        finally:
            self.driver.set_network_conditions(offline=False, latency=0, download_throughput=-1, upload_throughput=-1)
        self.assertEqual(len(seen), 4, f"request ids repeated across opened forms: {seen}")

    def test_04_submit_with_document_and_get_tracking_code(self):
        self.open("/rujukan")
        self.fill_referral(NIK)
        self.by_id("f-documents-ktp").send_keys(self.document)
        self.submit_form()
        code = self.wait_for("kode-pelacakan").text.strip()
        self.assertRegex(code, r"^LYR-[A-Z0-9]{4}-[A-Z0-9]{4}$")
        pin = self.by_id("pin-pelacakan").text.strip()
        self.assertRegex(pin, r"^[0-9]{6}$")
        type(self).tracking_code = code
        type(self).tracking_pin = pin
        self.shot("03-kode-pelacakan")

    def test_04b_a_second_form_for_the_same_nik_reveals_nothing(self):
        # A stranger who knows the NIK submits another form: the answer looks like a new
        # referral's (its own code and PIN), nothing says the person already has one.
        self.assertIsNotNone(self.tracking_code)
        self.open("/rujukan")
        self.fill_referral(NIK)
        self.submit_form()
        code = self.wait_for("kode-pelacakan").text.strip()
        self.assertRegex(code, r"^LYR-[A-Z0-9]{4}-[A-Z0-9]{4}$")
        self.assertNotEqual(code, self.tracking_code)
        main = self.driver.find_element(By.TAG_NAME, "main").text
        self.assertNotIn("sudah punya rujukan", main)
        self.assertNotIn(self.tracking_code, self.driver.page_source)
        # The original code with the stranger's PIN opens nothing.
        pin = self.by_id("pin-pelacakan").text.strip()
        if pin != self.tracking_pin:
            self.open("/lacak")
            self.type("tracking_code", self.tracking_code)
            self.type("pin", pin)
            self.submit_form()
            WebDriverWait(self.driver, 15, ignored_exceptions=TRANSIENT).until(lambda d: "tidak cocok" in d.find_element(By.TAG_NAME, "main").text)

    def fill_referral_without_nik(self, name, age):
        """A person found on the street: no NIK, no birth date, an estimated age instead."""
        self.type("person.full_name", name)
        self.choose("person.sex", "1")
        self.driver.find_element(By.CSS_SELECTOR, "main details.panel summary").click()
        unknown = self.by_id("f-person-unknown-identity")
        if not unknown.is_selected():
            unknown.click()
        self.type("person.unknown_identity.estimated_age", str(age))
        self.type("person.unknown_identity.found_at", "Emperan toko dekat pasar Paringin")
        self.type("person.unknown_identity.appearance", "Kurus, kaos merah, bekas luka di dahi")
        self.select("person.address.kecamatan_code", "63.11.06")
        self.select("person.address.desa_code", "63.11.06.1023")
        self.fill_request("PPKS-11", "Tidur di emperan toko sejak sebulan, tidak diketahui keluarganya.", urgency="2",
                          relationship="5", applicant="Rusdiansyah (TKSK)", giver="4", given_by="Rusdiansyah")

    def test_04c_a_person_without_papers_and_their_likely_duplicate(self):
        # Without a NIK: the section opens from its summary (no script needed), a missing age is
        # a problem at its input, and two reports of one man get two codes (nothing merged).
        self.open("/rujukan")
        self.fill_referral_without_nik("Udin", 40)
        self.field("person.unknown_identity.estimated_age").clear()
        self.submit_form()
        self.wait_text("f-person-unknown-identity-estimated-age-error", "Perkiraan umur")
        self.shot("03b-tanpa-nik-kesalahan")
        codes = []
        for name, age in [("Udin", 40), ("Syamsudin", 43)]:
            self.open("/rujukan")
            self.fill_referral_without_nik(name, age)
            self.submit_form()
            code = self.wait_for("kode-pelacakan").text.strip()
            self.assertRegex(code, r"^LYR-[A-Z0-9]{4}-[A-Z0-9]{4}$")
            codes.append(code)
        self.assertNotEqual(codes[0], codes[1])
        type(self).unidentified_codes = codes
        self.shot("03c-tanpa-nik-kode")

    def test_05_track(self):
        self.assertIsNotNone(self.tracking_code)
        self.open("/lacak")
        self.assert_every_input_labelled()
        self.type("tracking_code", self.tracking_code)
        self.type("pin", self.tracking_pin)
        self.submit_form()
        status = self.wait_for("status-sekarang")
        self.assertTrue(status.text)
        self.assertIn("KTP", self.driver.page_source)
        self.shot("04-lacak")
        # The birth date's digits are no key: a wrong PIN answers like a wrong code.
        self.open("/lacak")
        self.type("tracking_code", self.tracking_code)
        self.type("pin", "000000" if self.tracking_pin != "000000" else "000001")
        self.submit_form()
        WebDriverWait(self.driver, 15, ignored_exceptions=TRANSIENT).until(lambda d: "tidak cocok" in d.find_element(By.TAG_NAME, "main").text)
        self.shot("05-lacak-pin-salah")

    # The staff path ---------------------------------------------------------------------------

    def test_06_verifier_verifies(self):
        self.assertIsNotNone(self.tracking_code)
        self.open("/staf/verifikasi")
        self.assertIn("/staf/masuk", self.driver.current_url)
        self.assert_every_input_labelled()
        self.type("username", ADMIN_USER)
        self.type("password", ADMIN_PASSWORD)
        self.submit_form()
        WebDriverWait(self.driver, 20, ignored_exceptions=TRANSIENT).until(EC.url_contains("/staf/verifikasi"))
        # The referral reaches the queue once verification consumed its event.
        link = None
        for _ in range(30):
            links = self.driver.find_elements(By.LINK_TEXT, self.tracking_code)
            if links:
                link = links[0]
                break
            time.sleep(1)
            self.driver.refresh()
        self.assertIsNotNone(link, "referral never reached the verifiers' queue")
        self.shot("06-antrean-verifikasi")
        link.click()
        self.wait_for("keadaan")
        self.assert_every_input_labelled()
        self.assertIn("domisili", self.driver.page_source)
        # The KTP sent with the form opens from the case (intake keeps documents; the portal fetches it).
        document_url = self.driver.find_element(By.PARTIAL_LINK_TEXT, "KTP").get_attribute("href")
        case_url = self.driver.current_url
        self.driver.get(document_url)
        self.assertEqual(self.driver.execute_script("return document.contentType"), "image/png")
        self.driver.get(case_url)
        self.wait_for("keadaan")
        self.choose("decision", "verify")
        self.type("note", "Surat keterangan domisili diperiksa di kantor desa.")
        self.shot("07-kasus-verifikasi")
        self.submit_form()
        self.wait_text("keadaan", "Terverifikasi")
        # The citizen now sees it verified (or already with a case worker).
        self.open("/lacak")
        self.type("tracking_code", self.tracking_code)
        self.type("pin", self.tracking_pin)
        self.submit_form()
        status = self.wait_for("status-sekarang").text
        self.assertIn(status, ["Terverifikasi, menunggu pendamping", "Sedang ditangani pendamping"])

    def test_06b_verifier_sees_the_likely_duplicate(self):
        # The second report waits for a verifier, naming the first; the decision stays theirs.
        self.assertIsNotNone(self.unidentified_codes)
        first, second = self.unidentified_codes
        self.log_in_if_asked("/staf/verifikasi")
        link = None
        for _ in range(30):
            links = self.driver.find_elements(By.LINK_TEXT, second)
            if links:
                link = links[0]
                break
            time.sleep(1)
            self.driver.refresh()
        self.assertIsNotNone(link, "the second report never reached the verifiers' queue")
        link.click()
        self.wait_for("keadaan")
        page = self.driver.find_element(By.TAG_NAME, "main").text
        self.assertIn("mungkin orang yang sama", page)
        self.assertIn(first, page)
        self.assertIn("Dukcapil", page)
        self.shot("07b-kasus-mungkin-duplikat")

    def test_06c_staff_inbox(self):
        # The verifiers' queue told their shared inbox; the administrator holds every role, so it
        # is theirs too. Marking it read empties its count; keyboard and no script suffice.
        self.log_in_if_asked("/staf/kotak-masuk")
        self.assert_every_input_labelled()
        self.wait_text("belum-dibaca", "belum dibaca")
        self.assertIn("Untuk semua verifikator", self.driver.find_element(By.TAG_NAME, "main").text)
        self.shot("07c-kotak-masuk")
        self.shot_desktop("07c-kotak-masuk")
        heading = self.driver.find_element(By.XPATH, "//main//h2[starts-with(normalize-space(.), 'Untuk semua verifikator')]")
        section = heading.find_element(By.XPATH, "./ancestor::section")
        button = section.find_element(By.CSS_SELECTOR, "form button[type=submit]")
        self.driver.execute_script("arguments[0].scrollIntoView()", button)
        button.click()
        WebDriverWait(self.driver, 15, ignored_exceptions=TRANSIENT).until(
            lambda d: "ditandai sudah dibaca" in d.find_element(By.TAG_NAME, "main").text)
        heading = self.driver.find_element(By.XPATH, "//main//h2[starts-with(normalize-space(.), 'Untuk semua verifikator')]")
        self.assertIn("0 belum dibaca", heading.text)

    def test_07_dashboard_charts(self):
        self.log_in_if_asked("/staf/monev")
        self.wait_for("grafik-bulan")
        charts = self.driver.find_elements(By.CSS_SELECTOR, "figure.chart svg[role=img]")
        self.assertEqual(len(charts), 5)
        bars = self.driver.find_elements(By.CSS_SELECTOR, "#grafik-kecamatan rect.chart-bar")
        self.assertGreaterEqual(len(bars), 1, "the referral submitted above is counted by kecamatan")
        self.assert_every_input_labelled()
        self.shot("08-monev")
        csv_link = self.driver.find_element(By.PARTIAL_LINK_TEXT, "CSV").get_attribute("href")
        self.assertIn("/staf/monev.csv", csv_link)


    def test_08_case_worker_assesses_and_refers(self):
        """The supervisor's caseload shows the case opened for the verified referral; an
        assessment and an offer to a suggested institution move it to 'waiting for the answer'."""
        self.log_in_if_asked("/staf/kasus?semua=1")
        link = None
        for _ in range(30):
            # The elderly woman's case (test_04), not one of the reports without a NIK (test_04c).
            rows = self.driver.find_elements(By.XPATH, "//main//table/tbody/tr[contains(., 'Lanjut Usia')]//a")
            if rows:
                link = rows[0]
                break
            time.sleep(1)
            self.driver.refresh()
        self.assertIsNotNone(link, "no case in the caseload")
        self.shot("09-daftar-kasus")
        link.click()
        self.wait_for("status-kasus")
        self.assert_every_input_labelled()
        self.type("needs", "Lansia tinggal sendiri, butuh perawatan harian.")
        self.type("plan", "Rujuk ke panti sosial lanjut usia.")
        self.choose("route", "refer")
        self.select("service", "1")
        self.submit_form()
        self.wait_text("status-kasus", "diasesmen")
        institutions = self.driver.find_elements(By.CSS_SELECTOR, 'main input[name="institution"]')
        self.assertTrue(institutions, "no institution suggested")
        institutions[0].click()
        self.type("letter_number", "460/045/DINSOS-BLG/2026")
        self.type("summary", "Lansia terlantar, membutuhkan rehabilitasi dalam panti.")
        self.type("person_name", "Siti Aminah Uji")
        buttons = self.driver.find_elements(By.CSS_SELECTOR, "main form button.primary")
        offer_button = [b for b in buttons if b.text == "Kirim tawaran"][0]
        self.driver.execute_script("arguments[0].scrollIntoView()", offer_button)
        offer_button.click()
        self.wait_text("status-kasus", "Menunggu jawaban lembaga")
        self.assertIn("460/045/DINSOS-BLG/2026", self.driver.page_source)
        self.shot("10-kasus-ditawarkan")

    def test_09_complaint_and_desk(self):
        self.open("/pengaduan")
        self.assert_every_input_labelled()
        self.select("category", "1")
        self.type("description", "Belum ada kabar setelah seminggu.")
        self.type("tracking_code", self.tracking_code or "")
        anonymous = self.by_id("f-anonymous")
        if not anonymous.is_selected():
            anonymous.click()
        self.submit_form()
        reference = self.wait_for("nomor-pengaduan").text.strip()
        self.assertRegex(reference, r"^ADU-")
        self.log_in_if_asked("/staf/pengaduan")
        self.driver.find_element(By.LINK_TEXT, reference).click()
        self.wait_for("status-pengaduan")
        self.choose("action", "2")
        self.type("text", "Rujukan Anda sedang diverifikasi; kami kabari paling lambat besok.")
        self.submit_form()
        self.wait_text("status-pengaduan", "Sudah ditanggapi")
        self.shot("11-pengaduan")

    def test_10_survey_refuses_an_unknown_code(self):
        self.open("/survei")
        self.assert_every_input_labelled()
        self.type("code", "SKM-ZZZZ-ZZZZ")
        for element in range(1, 10):
            self.choose(f"u{element}", "4")
        self.submit_form()
        WebDriverWait(self.driver, 15, ignored_exceptions=TRANSIENT).until(lambda d: d.find_elements(By.ID, "f-code-error"))
        self.shot("12-survei-kode-salah")

    def log_in_if_asked(self, path):
        self.open(path)
        if "/staf/masuk" in self.driver.current_url:
            self.type("username", ADMIN_USER)
            self.type("password", ADMIN_PASSWORD)
            self.submit_form()
            WebDriverWait(self.driver, 20, ignored_exceptions=TRANSIENT).until(lambda d: "/staf/masuk" not in d.current_url)

if __name__ == "__main__":
    result = unittest.main(argv=sys.argv[:1], exit=False, verbosity=2, failfast=False).result
    print(f"screenshots in {ARTIFACTS}")
    sys.exit(0 if result.wasSuccessful() else 1)
