"""The demo page in a real headless Chromium: type a sentence, press Generate, see the grid.

Needs Debian's ``chromium`` and ``chromium-driver`` (``apt-get install -y chromium
chromium-driver``) and ``selenium``; skipped cleanly without them. Nothing is downloaded at run
time: the driver and browser are the system's, and the page loads only this server's files.
Set ``KERAS_STACKGAN_SCREENSHOT=docs/images/serve.png`` to keep the screenshot the README shows.
"""

import base64
import io
import os
import shutil
import threading
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

pytest.importorskip("flask")

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SENTENCES = [
    "this flower has pink petals and a yellow centre",
    "a white flower with thin petals",
    "a yellow sunflower with a dark centre",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)),
        reason="needs Debian's chromium and chromium-driver (apt-get install -y chromium "
        "chromium-driver)",
    ),
]


@pytest.fixture(scope="module")
def url(flowers, style_flowers, tiny_infogan, tiny_stackgan):
    from keras_stackgan.serve import make_local_server

    pipelines = {
        "flowers": flowers,
        "gan-int-cls-flowers": style_flowers,
        "tiny-infogan": tiny_infogan,
        "tiny-stackgan": tiny_stackgan,
    }
    server = make_local_server(pipelines, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        "--window-size=1200,900",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def wait_for(driver, condition, timeout=120):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(condition)


def fill(driver, element_id, text):
    from selenium.webdriver.common.by import By

    element = driver.find_element(By.ID, element_id)
    element.clear()
    element.send_keys(text)


def generate(driver):
    from selenium.webdriver.common.by import By

    driver.find_element(By.ID, "generate").click()
    wait_for(
        driver,
        lambda d: d.find_element(By.ID, "result").get_attribute("data-state") in ("done", "error"),
    )
    return driver.find_element(By.ID, "result").get_attribute("data-state")


def decoded(driver, img) -> bool:
    return driver.execute_script("return arguments[0].complete && arguments[0].naturalWidth", img)


def open_page(driver, url, preset):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    driver.get(url)
    wait_for(driver, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready"))
    Select(driver.find_element(By.ID, "preset")).select_by_value(preset)


def test_type_sentences_press_generate_see_the_grid(browser, url, flowers):
    from selenium.webdriver.common.by import By

    open_page(browser, url, "flowers")
    fill(browser, "texts", "\n".join(SENTENCES))
    fill(browser, "num", "4")
    fill(browser, "seed", "0")
    assert generate(browser) == "done"
    images = browser.find_elements(By.CSS_SELECTOR, "#grid img.generated")
    assert len(images) == 12
    assert all(decoded(browser, image) == 64 for image in images)
    captions = [c.text for c in browser.find_elements(By.CSS_SELECTOR, "#grid .caption")]
    assert captions == SENTENCES
    # The pixels the browser decoded are pipeline.generate's (row-major, a column a sentence).
    expected = flowers.generate(SENTENCES, images_per_text=4, seed=0)
    first = images[1].get_attribute("src").split(",", 1)[1]
    with Image.open(io.BytesIO(base64.b64decode(first))) as image:
        np.testing.assert_array_equal(np.asarray(image), expected[4])  # row 0, sentence 2
    screenshot = os.environ.get("KERAS_STACKGAN_SCREENSHOT")
    if screenshot:
        height = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(1200, min(int(height) + 200, 2400))
        Path(screenshot).parent.mkdir(parents=True, exist_ok=True)
        assert browser.save_screenshot(str(screenshot))


def test_errors_are_shown_and_the_page_keeps_working(browser, url):
    from selenium.webdriver.common.by import By

    open_page(browser, url, "flowers")
    fill(browser, "texts", "   ")
    assert generate(browser) == "error"
    error = browser.find_element(By.ID, "error")
    assert error.is_displayed() and error.text.startswith("400:") and "sentences" in error.text
    fill(browser, "texts", "a red rose")
    fill(browser, "seed", "twelve")
    assert generate(browser) == "error"
    assert "seed must be an integer" in browser.find_element(By.ID, "error").text
    fill(browser, "seed", "12")
    fill(browser, "num", "2")
    assert generate(browser) == "done"
    assert not browser.find_element(By.ID, "error").is_displayed()
    assert len(browser.find_elements(By.CSS_SELECTOR, "#grid img.generated")) == 2


def test_zoo_preset_has_a_class_picker_and_code_sliders(browser, url):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    open_page(browser, url, "tiny-infogan")
    assert not browser.find_element(By.ID, "texts").is_displayed()
    classes = Select(browser.find_element(By.ID, "labels"))
    assert [o.text for o in classes.options] == ["0: class 0", "1: class 1", "2: class 2"]
    sliders = browser.find_elements(By.CSS_SELECTOR, "#code-sliders input[type=range]")
    assert len(sliders) == 2
    classes.select_by_value("1")
    classes.select_by_value("2")
    fill(browser, "num", "3")
    assert generate(browser) == "done"
    images = browser.find_elements(By.CSS_SELECTOR, "#grid img.generated")
    assert len(images) == 6 and all(decoded(browser, image) == 8 for image in images)
    captions = [c.text for c in browser.find_elements(By.CSS_SELECTOR, "#grid .caption")]
    assert captions == ["class 1", "class 2"]
    assert browser.find_element(By.ID, "num-label").text.startswith("Images per class")


def test_style_transfer_of_an_uploaded_image(browser, url, tmp_path):
    from selenium.webdriver.common.by import By

    query = tmp_path / "query.png"
    rng = np.random.default_rng(0)
    Image.fromarray(rng.integers(0, 256, (48, 48, 3), dtype=np.uint8)).save(query)
    open_page(browser, url, "gan-int-cls-flowers")
    browser.find_element(By.CSS_SELECTOR, 'input[name="mode"][value="style"]').click()
    assert browser.find_element(By.ID, "images").is_displayed()
    browser.find_element(By.ID, "images").send_keys(str(query))
    fill(browser, "texts", "a yellow flower\na purple flower")
    assert generate(browser) == "done"
    figures = browser.find_elements(By.CSS_SELECTOR, "#grid figure")
    assert len(figures) == 3 and "query" in figures[0].get_attribute("class")
    images = browser.find_elements(By.CSS_SELECTOR, "#grid img")
    assert all(decoded(browser, image) == 64 for image in images)
    browser.find_element(By.ID, "images").clear()
    query.write_bytes(b"not an image")
    browser.find_element(By.ID, "images").send_keys(str(query))
    fill(browser, "texts", "a rose")
    assert generate(browser) == "error"
    assert browser.find_element(By.ID, "error").text.startswith("415:")


def test_stackgan_shows_the_stage1_sketch_next_to_each_result(browser, url):
    from selenium.webdriver.common.by import By

    open_page(browser, url, "tiny-stackgan")
    fill(browser, "texts", "a small red bird")
    fill(browser, "num", "2")
    assert generate(browser) == "done"
    figures = browser.find_elements(By.CSS_SELECTOR, "#grid figure")
    assert len(figures) == 2
    for figure in figures:
        sketch, result = figure.find_elements(By.TAG_NAME, "img")
        assert "sketch" in sketch.get_attribute("class")
        assert decoded(browser, sketch) == 64 and decoded(browser, result) == 128
