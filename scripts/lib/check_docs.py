"""Drives headless Chromium over the DevTools protocol to check the API's documentation pages.

    python3 scripts/lib/check_docs.py BASE_URL [CHROMIUM]

Standard library only: Chromium's --remote-debugging-pipe speaks the protocol as NUL-terminated JSON on file
descriptors 3 (commands in) and 4 (events and answers out), so no WebSocket client is needed.

Checks, each with a deadline (no fixed sleeps):
  1. /docs (Swagger UI) renders every operation of /openapi.json;
  2. "Try it out" then "Execute" on POST /tasks, with the document's example body, shows a 202 from the API;
  3. /redoc (ReDoc) renders every operation too;
  4. neither page requested anything from another origin (the pages must work offline).
Prints one line per check and exits 1 on the first failure.
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request


class Browser:
    def __init__(self, executable):
        self.profile = tempfile.TemporaryDirectory(prefix="qtq-check-docs-", ignore_cleanup_errors=True)
        to_browser_read, to_browser_write = os.pipe()
        from_browser_read, from_browser_write = os.pipe()
        # The child's fds 3 and 4 must be exactly these pipe ends: moved out of the way first (either may
        # already be 3 or 4), then into place; pass_fds keeps 3 and 4 open past Popen's close_fds.
        def wire_fds():
            os.dup2(to_browser_read, 10)
            os.dup2(from_browser_write, 11)
            os.dup2(10, 3)
            os.dup2(11, 4)
        self.process = subprocess.Popen(
            [executable, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
             "--remote-debugging-pipe", f"--user-data-dir={self.profile.name}", "about:blank"],
            preexec_fn=wire_fds, pass_fds=(3, 4),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(to_browser_read)
        os.close(from_browser_write)
        self.writer = os.fdopen(to_browser_write, "wb", buffering=0)
        self.reader = os.fdopen(from_browser_read, "rb", buffering=0)
        self.buffer = b""
        self.next_id = 0
        self.events = []

    def close(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.profile.cleanup()

    def _read_message(self):
        while b"\0" not in self.buffer:
            chunk = self.reader.read(65536)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe (did it start?)")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.writer.write(json.dumps(message).encode() + b"\0")
        while True:
            answer = self._read_message()
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self.events.append(answer)


def evaluate(browser, session, expression):
    result = browser.send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session)
    if "exceptionDetails" in result:
        raise RuntimeError(f"page script failed: {result['exceptionDetails'].get('text')}: {expression[:80]}")
    return result["result"].get("value")


def until(browser, session, expression, what, timeout=30):
    """Evaluates `expression` until it is truthy; returns its value or fails naming `what`."""
    deadline = time.monotonic() + timeout
    while True:
        value = evaluate(browser, session, expression)
        if value:
            return value
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.1)


def expected_operations(base_url):
    with urllib.request.urlopen(base_url + "/openapi.json", timeout=10) as response:
        document = json.load(response)
    return sorted(f"{method.upper()} {path}" for path, item in document["paths"].items()
                  for method in item if method in ("get", "post", "put", "patch", "delete"))


SWAGGER_OPERATIONS = """[...document.querySelectorAll('.opblock')].map(block =>
    block.querySelector('.opblock-summary-method').textContent.trim() + ' ' +
    block.querySelector('.opblock-summary-path').getAttribute('data-path')).sort()"""

REDOC_OPERATIONS = """[...document.querySelectorAll('[data-section-id^="operation/"]')].length"""


def main():
    base_url = sys.argv[1].rstrip("/")
    executable = sys.argv[2] if len(sys.argv) > 2 else "chromium"
    origin = urllib.parse.urlsplit(base_url)
    expected = expected_operations(base_url)
    browser = Browser(executable)
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        browser.send("Network.enable", {}, session)
        browser.send("Page.enable", {}, session)

        browser.send("Page.navigate", {"url": base_url + "/docs"}, session)
        until(browser, session, "document.querySelectorAll('.opblock').length > 0", "Swagger UI to render operations")
        shown = evaluate(browser, session, SWAGGER_OPERATIONS)
        if shown != expected:
            raise RuntimeError(f"/docs lists {shown}, the document has {expected}")
        print(f"ok: /docs lists all {len(shown)} operations", flush=True)

        # Expand POST /tasks, "Try it out", "Execute" with the example body, then read the live response.
        block = "document.querySelector('#operations-default-submitTask')"
        until(browser, session, f"!!{block}", "the POST /tasks operation")
        evaluate(browser, session, f"{block}.querySelector('.opblock-summary-control').click(); true")
        until(browser, session, f"!!{block}.querySelector('.try-out__btn')", "the Try it out button")
        evaluate(browser, session, f"{block}.querySelector('.try-out__btn').click(); true")
        until(browser, session, f"!!{block}.querySelector('textarea.body-param__text')", "the request body editor")
        until(browser, session, f"!!{block}.querySelector('.execute')", "the Execute button")
        evaluate(browser, session, f"{block}.querySelector('.execute').click(); true")
        status = until(browser, session,
                       f"(({block}.querySelector('.live-responses-table tbody .response-col_status') || {{}}).textContent || '').trim()",
                       "the response to POST /tasks")
        if not status.startswith("202"):
            body = evaluate(browser, session, f"{block}.querySelector('.live-responses-table').innerText")
            raise RuntimeError(f"Try it out on POST /tasks answered {status}, not 202: {body[:500]}")
        print("ok: Try it out on POST /tasks returned 202", flush=True)

        browser.send("Page.navigate", {"url": base_url + "/redoc"}, session)
        count = until(browser, session, REDOC_OPERATIONS, "ReDoc to render operations")
        if count != len(expected):
            raise RuntimeError(f"/redoc renders {count} operations, the document has {len(expected)}")
        print(f"ok: /redoc renders all {count} operations", flush=True)

        requested = {event["params"]["request"]["url"] for event in browser.events
                     if event.get("method") == "Network.requestWillBeSent"}
        # Proof that requests were observed at all, so an empty list of foreign ones means something.
        for bundle in ("swagger-ui-bundle.js", "redoc.standalone.js"):
            if f"{base_url}/docs/assets/{bundle}" not in requested:
                raise RuntimeError(f"no request for /docs/assets/{bundle} was observed")
        foreign = sorted(url for url in requested
                         if urllib.parse.urlsplit(url).netloc not in ("", origin.netloc)
                         and not url.startswith(("data:", "blob:", "about:")))
        if foreign:
            raise RuntimeError(f"the pages requested other origins (not offline): {foreign}")
        print("ok: no request left the API's origin", flush=True)
    finally:
        browser.close()


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # one clear line for the calling script
        print(f"check-docs FAILED: {error}", file=sys.stderr)
        sys.exit(1)
