package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"sakura/internal/document/documenttest"
	"sakura/internal/i18n"
	"sakura/internal/web/webtest"
)

// schoolStarters returns n demo families of Almaty whose child turns 6 in
// 2027: the parent's IIN and phone, and the child's IIN.
func schoolStarters(t *testing.T, n int) [][3]string {
	t.Helper()
	d := demoPlaces()[0]
	phones := map[string]string{}
	births := map[string]time.Time{}
	for _, p := range d.People {
		phones[p.IIN], births[p.IIN] = p.Phone, p.BirthDate
	}
	var out [][3]string
	used := map[string]bool{}
	for _, l := range d.Links {
		if phones[l.ParentIIN] == "" || births[l.ChildIIN].Year() != 2021 || used[l.ParentIIN] || used[l.ChildIIN] {
			continue // a child of two parents applies once
		}
		used[l.ParentIIN], used[l.ChildIIN] = true, true
		out = append(out, [3]string{l.ParentIIN, phones[l.ParentIIN], l.ChildIIN})
		if len(out) == n {
			return out
		}
	}
	t.Fatalf("only %d demo families with a child born in 2021", len(out))
	return nil
}

// TestApplyGrade1Browser: a parent completes the grade-1 wizard in Chromium
// from the start page to the confirmation, once in each language: signs in
// on the way with the code from the outbox, uploads a real JPEG and a real
// PDF, finds the application with its documents in the cabinet and the SMS
// with its number in the outbox. axe-core checks every step.
func TestApplyGrade1Browser(t *testing.T) {
	s := webtest.Start(t, webtest.Options{Demo: true, Cities: demoPlaces()})
	b := webtest.NewBrowser(t)
	cat := MustCatalog(t)
	served, _ := MustPlaceCases(t)
	families := schoolStarters(t, 3)

	dir := t.TempDir()
	files := map[string]string{"photo.jpg": "", "form065.pdf": "", "form052.jpg": ""}
	for name := range files {
		var data []byte
		switch filepath.Ext(name) {
		case ".pdf":
			data = documenttest.PDF("Form 065/u")
		default:
			data = documenttest.JPEG(900, 1200)
		}
		files[name] = filepath.Join(dir, name)
		if err := os.WriteFile(files[name], data, 0o600); err != nil {
			t.Fatal(err)
		}
	}

	for i, lang := range []i18n.Lang{i18n.KK, i18n.RU, i18n.EN} {
		t.Run(string(lang), func(t *testing.T) {
			tr := cat.Translator(lang)
			parent, phone, child := families[i][0], families[i][1], families[i][2]
			l := string(lang)
			tab := b.NewTab(t)
			submit := chromedp.Click(chromedp.CSS("main form button[type=submit]"))

			tab.Navigate(s.URL + "/" + l + "/almaty/apply/grade1")
			tab.MustBeAccessible()
			tab.Follow(submit)

			// Consents.
			tab.MustBeAccessible()
			tab.Follow(submit)
			if tab.Text("#consents-error") != tr.T("apply.consents.required") {
				t.Errorf("no consents: %q", tab.Text("#consents-error"))
			}
			tab.MustBeAccessible()
			tab.Do(
				chromedp.Click(chromedp.CSS("#consent-personal_data")), chromedp.Click(chromedp.CSS("#consent-registry_check")),
				chromedp.Click(chromedp.CSS("#consent-true_data")), chromedp.Click(chromedp.CSS("#consent-notifications")),
			)
			tab.Follow(submit)

			// Identity: sign in by code on the way, and come back.
			tab.MustBeAccessible()
			signUpOnTheWay(t, tab, s, parent, phone, "алма ағашы гүлдеді "+l)
			if !strings.HasSuffix(tab.Location(), "/identity") {
				t.Fatalf("after signing in: %s, want the identity step", tab.Location())
			}
			tab.MustBeAccessible()
			tab.Follow(submit)

			// Contacts: nothing extra.
			tab.MustBeAccessible()
			tab.Follow(submit)

			// The child: a wrong IIN first, then the child's.
			tab.MustBeAccessible()
			tab.Do(chromedp.Click(chromedp.CSS("#mode-iin")), chromedp.SendKeys(chromedp.CSS("#child_iin"), parent))
			tab.Follow(submit)
			if tab.Text("#child_iin-error") != tr.T("apply.child.own_iin") {
				t.Errorf("own IIN as the child's: %q", tab.Text("#child_iin-error"))
			}
			tab.MustBeAccessible()
			tab.Do(chromedp.Evaluate[chromedp.Void](`document.querySelector("#child_iin").value = ""`),
				chromedp.SendKeys(chromedp.CSS("#child_iin"), child))
			tab.Follow(submit)

			// Documents: a real JPEG photo, a PDF and a JPEG scan.
			tab.MustBeAccessible()
			tab.Do(
				chromedp.SetUploadFiles(chromedp.CSS("#photo"), []string{files["photo.jpg"]}),
				chromedp.SetUploadFiles(chromedp.CSS("#medical_065"), []string{files["form065.pdf"]}),
				chromedp.SetUploadFiles(chromedp.CSS("#medical_052"), []string{files["form052.jpg"]}),
			)
			tab.Follow(submit)

			// Informing, address and language, school, messages.
			tab.MustBeAccessible()
			tab.Follow(submit)
			tab.MustBeAccessible()
			// The address: typed, with the suggestions shown (choosing one
			// with the keyboard is the find-school page's test).
			q := served.query[l]
			tab.Do(chromedp.SendKeys(chromedp.CSS("#address"), q))
			// Suggestions come as the parent types; wait for those of the
			// whole address (by script, as the list is redrawn meanwhile).
			house := q[strings.LastIndex(q, " ")+1:]
			ctx, cancel := context.WithTimeout(tab.Context(), 10*time.Second)
			_, err := chromedp.Run(ctx, chromedp.Poll[bool](fmt.Sprintf(
				`(document.querySelector("#address-suggestions li") || {textContent: ""}).textContent.includes(%q)
				&& !document.querySelector("#address-suggestions").hidden
				&& !document.querySelector("#address-suggestions").hasAttribute("aria-busy")`, house)))
			cancel()
			if err != nil {
				t.Fatalf("no suggestion for %q: %v", q, err)
			}
			tab.Do(chromedp.KeyEvent(kb.Escape), chromedp.Click(chromedp.CSS("#language-ru")))
			tab.Follow(submit)
			tab.MustBeAccessible()
			tab.Do(chromedp.Click(chromedp.CSS(`input[name="school"]`)))
			tab.Follow(submit)
			tab.MustBeAccessible()
			tab.Follow(submit)

			// Check, and submit.
			tab.MustBeAccessible()
			tab.Follow(chromedp.Click(chromedp.CSS("#submit")))
			number := webtest.Eval[string](tab, `(document.querySelector(".number") || document.querySelector("main")).innerText.trim()`)
			if !strings.HasPrefix(number, "ALM-G1-2027-") {
				t.Fatalf("confirmation at %s shows %q", tab.Location(), number)
			}
			tab.MustBeAccessible()
			if body := messageTo(t, s, phone, 3); !strings.Contains(body, number) {
				t.Errorf("SMS %q lacks %s", body, number)
			}

			// The application in the cabinet, with its documents.
			tab.Follow(chromedp.Click(chromedp.CSS(`main a.button-link`)))
			if got := tab.Text("main"); !strings.Contains(got, number) || !strings.Contains(got, "photo.jpg") || !strings.Contains(got, "form065.pdf") {
				t.Errorf("the card does not show the number and the documents: %.400q", got)
			}
			tab.MustBeAccessible()
		})
	}
}

// signUpOnTheWay takes a parent from a wizard's identity step through the
// first sign-in (the IIN, the code sent to the phone, a new password) and
// back to the step.
func signUpOnTheWay(t *testing.T, tab *webtest.Tab, s *webtest.Server, parent, phone, password string) {
	t.Helper()
	submit := chromedp.Click(chromedp.CSS("main form button[type=submit]"))
	tab.Follow(chromedp.Click(chromedp.CSS("a#identity")))
	tab.Follow(chromedp.Click(chromedp.CSS(`a.button-link[href*="/cabinet/code"]`)))
	tab.Do(chromedp.SendKeys(chromedp.CSS("#iin"), parent))
	tab.Follow(submit)
	tab.Do(chromedp.SendKeys(chromedp.CSS("#code"), codeFor(t, s, phone, 1)))
	tab.Follow(submit)
	tab.Do(chromedp.SendKeys(chromedp.CSS("#password"), password), chromedp.SendKeys(chromedp.CSS("#password_repeat"), password))
	tab.Follow(submit)
}
