package webtest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ChromiumEnv names an environment variable that may hold the path of the
// Chromium binary; without it, chromium is looked up on PATH (Debian's
// package installs it there).
const ChromiumEnv = "SAKURA_CHROMIUM"

// actionTimeout bounds each step a test runs in a tab.
const actionTimeout = 20 * time.Second

// Browser is a headless Chromium for one test, driven with chromedp. It is
// never downloaded: it is the system's, or the test is skipped (failed with
// CI=true).
type Browser struct {
	ctx context.Context
}

// NewBrowser starts Chromium with a fresh temporary profile and stops it at
// cleanup. Start one per test and open a tab per case: tabs are cheap, and
// each has cookies of its own.
func NewBrowser(tb testing.TB) *Browser {
	tb.Helper()
	path := os.Getenv(ChromiumEnv)
	if path == "" {
		var err error
		if path, err = exec.LookPath("chromium"); err != nil {
			unavailable(tb, "Chromium is not installed (apt-get install chromium, or set %s): %v",
				ChromiumEnv, err)
		}
	}
	profile, err := os.MkdirTemp("", "sakura-chromium-")
	if err != nil {
		tb.Fatal(err)
	}

	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.UserDataDir(profile),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 900),
		// The same Accept-Language whatever the machine's locale: a
		// Kazakh-speaking parent's browser.
		chromedp.Flag("accept-lang", "kk"),
		// Chromium's scratch files go into the profile, removed at cleanup.
		chromedp.Env("TMPDIR="+profile),
	)
	ctx, cancel := chromedp.NewContext(allocCtx)
	tb.Cleanup(func() {
		cancel()
		cancelAlloc()
		os.RemoveAll(profile)
	})

	// The first Do starts the browser; it must not run under a timeout
	// context, which would stop the browser when it expires.
	if err := chromedp.Do(ctx); err != nil {
		tb.Fatalf("start Chromium at %s: %v", path, err)
	}
	return &Browser{ctx: ctx}
}

// Tab is a browser tab with a cookie jar of its own, bound to a test.
type Tab struct {
	tb  testing.TB
	ctx context.Context
}

// NewTab opens a tab in a new browser context (like a private window), closed
// at cleanup.
func (b *Browser) NewTab(tb testing.TB) *Tab {
	tb.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	tb.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		tb.Fatalf("open tab: %v", err)
	}
	return &Tab{tb: tb, ctx: ctx}
}

// Context returns the tab's chromedp context, for actions the helpers below
// do not cover.
func (t *Tab) Context() context.Context {
	return t.ctx
}

// Do runs actions in the tab, failing the test on an error.
func (t *Tab) Do(actions ...chromedp.Action[chromedp.Void]) {
	t.tb.Helper()
	ctx, cancel := context.WithTimeout(t.ctx, actionTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.tb.Fatalf("browser: %v", err)
	}
}

// Navigate opens url and waits for the page to load. It returns the HTTP
// status of the document.
func (t *Tab) Navigate(url string) int64 {
	t.tb.Helper()
	ctx, cancel := context.WithTimeout(t.ctx, actionTimeout)
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(url))
	if err != nil {
		t.tb.Fatalf("browser: open %s: %v", url, err)
	}
	return resp.Status
}

// Follow runs actions that lead to another page, such as a click on a link
// or a submit button, and waits for that page to load. It returns the HTTP
// status of the new document (after redirects).
func (t *Tab) Follow(actions ...chromedp.Action[chromedp.Void]) int64 {
	t.tb.Helper()
	ctx, cancel := context.WithTimeout(t.ctx, actionTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, actions...)
	if err != nil {
		t.tb.Fatalf("browser: follow: %v", err)
	}
	return resp.Status
}

// Text returns the visible text of the first element matching the CSS
// selector.
func (t *Tab) Text(selector string) string {
	t.tb.Helper()
	return run(t, chromedp.Text(chromedp.CSS(selector)))
}

// Attr returns the attribute name of the first element matching the CSS
// selector, and whether it has one.
func (t *Tab) Attr(selector, name string) (string, bool) {
	t.tb.Helper()
	res := run(t, chromedp.AttributeValue(chromedp.CSS(selector), name))
	return res.Value, res.Exists
}

// Location returns the URL of the page in the tab.
func (t *Tab) Location() string {
	t.tb.Helper()
	return run(t, chromedp.Location())
}

// run runs one action with a value, failing the test on an error.
func run[T any](t *Tab, a chromedp.Action[T]) T {
	t.tb.Helper()
	ctx, cancel := context.WithTimeout(t.ctx, actionTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.tb.Fatalf("browser: %v", err)
	}
	return v
}

// Eval runs a JavaScript expression in the tab and returns its value,
// failing the test on an error.
func Eval[T any](t *Tab, expression string) T {
	t.tb.Helper()
	return run(t, chromedp.Evaluate[T](expression))
}
