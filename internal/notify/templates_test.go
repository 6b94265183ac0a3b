package notify_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"sakura/internal/i18n"
	"sakura/internal/notify"
)

func mustTemplates(tb testing.TB) *notify.Templates {
	tb.Helper()
	tmpl, err := notify.NewTemplates()
	if err != nil {
		tb.Fatal(err)
	}
	return tmpl
}

// sample holds the longest values each placeholder takes, so that the
// segment test measures real messages.
var sample = notify.Data{Code: "123456", Link: "https://sakura.kz/kk/cabinet/email?token=abc",
	Number: "ALM-G10-2027-00042", Reason: "incomplete_documents", Comment: "Нет формы 065/у.",
	Referral: "ALM-R-2027-00042", Until: "12.12.2027", Class: "1Ә"}

// TestEveryMessageRenders renders every message of the catalogue on each of
// its channels in every language and checks that the data is in it and no
// placeholder is left.
func TestEveryMessageRenders(t *testing.T) {
	tmpl := mustTemplates(t)
	for key, channels := range notify.Catalogue {
		for _, ch := range channels {
			for _, lang := range i18n.Langs {
				t.Run(string(key)+"/"+string(ch)+"/"+string(lang), func(t *testing.T) {
					c, err := tmpl.Render(key, lang, ch, sample)
					if err != nil {
						t.Fatal(err)
					}
					if strings.TrimSpace(c.Body) == "" {
						t.Error("empty body")
					}
					if (ch == notify.Email) != (c.Subject != "") {
						t.Errorf("subject %q on channel %s", c.Subject, ch)
					}
					if strings.Contains(c.Body+c.Subject, "<no value>") || strings.Contains(c.Body, "{{") {
						t.Errorf("placeholder left in %q", c.Body)
					}
					switch key {
					case notify.SignInCode, notify.PhoneChangeCode:
						if !strings.Contains(c.Body, sample.Code) {
							t.Errorf("code missing from %q", c.Body)
						}
					case notify.EmailConfirm:
						if !strings.Contains(c.Body, sample.Link) {
							t.Errorf("link missing from %q", c.Body)
						}
					case notify.ApplicationSubmitted, notify.ApplicationAccepted, notify.ApplicationWaiting,
						notify.ApplicationRefused, notify.ApplicationEnrolled:
						if !strings.Contains(c.Body, sample.Number) {
							t.Errorf("number missing from %q", c.Body)
						}
					case notify.ReferralIssued:
						if !strings.Contains(c.Body, sample.Referral) || !strings.Contains(c.Body, sample.Until) {
							t.Errorf("referral or its end missing from %q", c.Body)
						}
					}
					if key == notify.ApplicationRefused && ch == notify.Email &&
						(!strings.Contains(c.Body, sample.Comment) || strings.Contains(c.Body, sample.Reason)) {
						t.Errorf("the refusal's comment missing or its reason untranslated in %q", c.Body)
					}
				})
			}
		}
	}
}

// TestSMSOneSegment checks that every SMS fits in one segment with a real
// code in it.
func TestSMSOneSegment(t *testing.T) {
	tmpl := mustTemplates(t)
	for key, channels := range notify.Catalogue {
		for _, ch := range channels {
			if ch != notify.SMS {
				continue
			}
			for _, lang := range i18n.Langs {
				c, err := tmpl.Render(key, lang, ch, sample)
				if err != nil {
					t.Fatal(err)
				}
				enc, n := notify.Segments(c.Body)
				if n != 1 {
					t.Errorf("%s/%s: %q takes %d %s segments, want 1", key, lang, c.Body, n, enc)
				}
			}
		}
	}
}

func TestRenderSignInCode(t *testing.T) {
	tmpl := mustTemplates(t)
	tests := []struct {
		lang i18n.Lang
		want string
	}{
		{i18n.KK, "Sakura: растау коды 123456. Оны ешкімге айтпаңыз."},
		{i18n.RU, "Sakura: код подтверждения 123456. Никому его не сообщайте."},
		{i18n.EN, "Sakura: your confirmation code is 123456. Do not share it with anyone."},
		{"de", "Sakura: растау коды 123456. Оны ешкімге айтпаңыз."}, // falls back to Kazakh
	}
	for _, tt := range tests {
		t.Run(string(tt.lang), func(t *testing.T) {
			c, err := tmpl.Render(notify.SignInCode, tt.lang, notify.SMS, sample)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(notify.Content{Body: tt.want}, c); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRenderRefusesUnknown(t *testing.T) {
	tmpl := mustTemplates(t)
	if _, err := tmpl.Render(notify.EmailConfirm, i18n.KK, notify.SMS, sample); err == nil {
		t.Error("email_confirm rendered as SMS")
	}
	if _, err := tmpl.Render("no_such_key", i18n.KK, notify.Email, sample); err == nil {
		t.Error("unknown key rendered")
	}
}

// TestKazakhLetters checks that the Kazakh messages are written with the
// Kazakh letters, not with Russian look-alikes, by checking that they use
// them at all.
func TestKazakhLetters(t *testing.T) {
	tmpl := mustTemplates(t)
	var all strings.Builder
	for key, channels := range notify.Catalogue {
		for _, ch := range channels {
			c, err := tmpl.Render(key, i18n.KK, ch, sample)
			if err != nil {
				t.Fatal(err)
			}
			all.WriteString(c.Subject + c.Body)
		}
	}
	for _, r := range "әғқңөұүі" {
		if !strings.ContainsRune(all.String(), r) {
			t.Errorf("no %q in the Kazakh messages", r)
		}
	}
}

func TestSegments(t *testing.T) {
	tests := []struct {
		text    string
		wantEnc string
		wantN   int
	}{
		{"", notify.GSM7, 0},
		{strings.Repeat("a", 160), notify.GSM7, 1},
		{strings.Repeat("a", 161), notify.GSM7, 2},
		{strings.Repeat("a", 159) + "€", notify.GSM7, 2}, // € counts twice
		{strings.Repeat("a", 306), notify.GSM7, 2},
		{strings.Repeat("ә", 70), notify.UCS2, 1},
		{strings.Repeat("ә", 71), notify.UCS2, 2},
		{strings.Repeat("a", 69) + "ұ", notify.UCS2, 1}, // one Kazakh letter makes it UCS-2
		{strings.Repeat("я", 135), notify.UCS2, 3},
		{"😀", notify.UCS2, 1}, // two UTF-16 units
	}
	for _, tt := range tests {
		enc, n := notify.Segments(tt.text)
		if enc != tt.wantEnc || n != tt.wantN {
			t.Errorf("Segments(%d runes of %q…) = %s, %d; want %s, %d",
				len([]rune(tt.text)), []rune(tt.text + " ")[0], enc, n, tt.wantEnc, tt.wantN)
		}
	}
}
