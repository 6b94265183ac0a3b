package webtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/chromedp/chromedp"
)

// axeFile is where npm installs axe-core under the module root, from the
// root's package-lock.json (npm ci).
const axeFile = "node_modules/axe-core/axe.min.js"

var axeSource = sync.OnceValues(func() (string, error) {
	root, err := ModuleRoot()
	if err != nil {
		return "", err
	}
	b, err := os.ReadFile(filepath.Join(root, axeFile))
	if err != nil {
		return "", err
	}
	return string(b), nil
})

// ModuleRoot returns the directory of the go.mod above the working
// directory, which is the package directory under go test.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// Violation is one rule of axe-core that a page breaks.
type Violation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	Targets []string `json:"targets"` // CSS selectors of the offending nodes
}

func (v Violation) String() string {
	nodes := strings.Join(v.Targets, "\n\t\t")
	return fmt.Sprintf("%s (%s): %s\n\t\t%s", v.ID, v.Impact, v.Help, nodes)
}

// axeRun runs every rule axe-core has on by default (WCAG 2.x A and AA, and
// best practices) and keeps what a failure message needs.
const axeRun = `axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.map(v => ({
	id: v.id, impact: v.impact || "", help: v.help,
	targets: v.nodes.map(n => n.target.join(" "))
})))`

// Axe injects axe-core into the page in the tab and returns the rules the
// page breaks. Without node_modules the test is skipped (failed with CI=true).
func (t *Tab) Axe() []Violation {
	t.tb.Helper()
	src, err := axeSource()
	if err != nil {
		unavailable(t.tb, "axe-core is not installed (run npm ci at the module root): %v", err)
	}

	ctx, cancel := context.WithTimeout(t.ctx, actionTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](src)); err != nil {
		t.tb.Fatalf("inject axe-core: %v", err)
	}
	run := chromedp.Evaluate[[]Violation](axeRun, chromedp.EvalAwaitPromise)
	violations, err := chromedp.Run(ctx, run)
	if err != nil {
		t.tb.Fatalf("run axe-core: %v", err)
	}
	return violations
}

// MustBeAccessible fails the test when axe-core finds a violation on the
// page in the tab, naming each with its impact and nodes.
func (t *Tab) MustBeAccessible() {
	t.tb.Helper()
	violations := t.Axe()
	if len(violations) == 0 {
		return
	}
	var b strings.Builder
	for _, v := range violations {
		b.WriteString("\n\t" + v.String())
	}
	t.tb.Errorf("axe-core: %d violations on %s:%s", len(violations), t.Location(), b.String())
}
