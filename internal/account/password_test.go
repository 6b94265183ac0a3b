package account

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"sakura/internal/errs"
)

func TestCheckPassword(t *testing.T) {
	const (
		iin   = "870412300123"
		phone = "+7 701 123-45-67"
	)
	tests := []struct {
		name     string
		password string
		personal []string
		want     string // the error key, or "" for none
	}{
		{"good", "correct horse battery", nil, ""},
		{"good exactly min", "mxz-plum-owl", nil, ""},
		{"short", "mxz-plum-ow", nil, "account.password_short"},
		{"empty", "", nil, "account.password_short"},
		{"max", strings.Repeat("horse battery ", 9) + "ok", nil, ""},
		{"over max", strings.Repeat("horse battery ", 9) + "ok!", nil, "account.password_long"},
		{"huge", strings.Repeat("x", 1<<20), nil, "account.password_long"},

		// Characters, not bytes: 12 Cyrillic letters are 24 bytes.
		{"cyrillic 12", "сакура цветёт", nil, ""},
		{"cyrillic 11", "сакурацветё", nil, "account.password_short"},
		{"cyrillic 128", strings.Repeat("ж", 127) + "ы", nil, ""},
		{"cyrillic 129", strings.Repeat("ж", 128) + "ы", nil, "account.password_long"},
		{"kazakh", "қазақ тілі әдемі", nil, ""},

		{"listed", "1qaz2wsx3edc", nil, "account.password_common"},
		{"listed any case", "PassWord1234", nil, "account.password_common"},
		{"listed padded digits", "password2024", nil, "account.password_common"},
		{"listed padded punct", "sunshine!!!!", nil, "account.password_common"},
		{"listed padded before", "2024!football", nil, "account.password_common"},
		{"listed with digits padded", "jordan23-2024", nil, "account.password_common"},
		{"local layout", "ytnhfyjq2024", nil, "account.password_common"},
		{"local privet", "privet123456", nil, "account.password_common"},
		{"local almaty", "almaty2024!!", nil, "account.password_common"},
		{"local astana", "astana123456", nil, "account.password_common"},
		{"local kazakhstan", "kazakhstan123", nil, "account.password_common"},
		{"local cyrillic", "Пароль123456", nil, "account.password_common"},
		{"short base padded", "love!#!#!#!#", nil, ""}, // "love" is listed
		{"word inside", "my password is long", nil, ""},

		{"one char", "aaaaaaaaaaaa", nil, "account.password_common"},
		{"one cyrillic char", "жжжжжжжжжжжж", nil, "account.password_common"},
		{"two chars", "abababababab", nil, "account.password_common"},
		{"four chars", "ab1!ab1!ab1!", nil, "account.password_common"},
		{"digits run", "123456789012", nil, "account.password_common"},
		{"digits down", "109876543210", nil, "account.password_common"},
		{"alphabet", "abcdefghijkl", nil, "account.password_common"},
		{"keyboard row", "qwertyuiopas", nil, "account.password_common"},
		{"keyboard brackets", "qwertyuiop[]", nil, "account.password_common"},
		{"keyboard down", "lkjhgfdsapoi", nil, "account.password_common"},
		{"keyboard column", "1qaz2wsx3edc4rfv", nil, "account.password_common"},
		{"cyrillic keyboard", "йцукенгшщзхъ", nil, "account.password_common"},
		{"cyrillic alphabet", "абвгдеёжзийк", nil, "account.password_common"},

		{"iin", "my iin " + iin, []string{iin}, "account.password_personal"},
		{"iin with dashes", "870412-300123-x", []string{iin}, "account.password_personal"},
		{"phone digits", "call 77011234567 now", []string{phone}, "account.password_personal"},
		{"name", "Tabs of Aigerim Dos", []string{"aigerim"}, "account.password_personal"},
		{"short personal", "my cat is called Ali", []string{"ali"}, ""},
		{"personal absent", "correct horse battery", []string{iin, phone, "aigerim"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckPassword(tt.password, tt.personal...)
			if diff := cmp.Diff(tt.want, errKey(t, err)); diff != "" {
				t.Errorf("CheckPassword(%.40q) key mismatch (-want +got):\n%s", tt.password, diff)
			}
		})
	}
}

func TestCheckPasswordArgs(t *testing.T) {
	var e *errs.Error
	if !errors.As(CheckPassword("short"), &e) || e.Kind != errs.Invalid {
		t.Fatalf("short password: got %v, want an Invalid *errs.Error", e)
	}
	if diff := cmp.Diff(map[string]any{"Min": 12}, e.Args); diff != "" {
		t.Errorf("short Args mismatch (-want +got):\n%s", diff)
	}
	if !errors.As(CheckPassword(strings.Repeat("xy z", 40)), &e) {
		t.Fatal("long password: no *errs.Error")
	}
	if diff := cmp.Diff(map[string]any{"Max": 128}, e.Args); diff != "" {
		t.Errorf("long Args mismatch (-want +got):\n%s", diff)
	}
}

func TestCommonListLoaded(t *testing.T) {
	set := commonSet()
	if len(set) < 20000 {
		t.Errorf("common list has %d entries, want the general list's", len(set))
	}
	for w := range set {
		if len([]rune(w)) < minBase {
			t.Errorf("entry %q is shorter than %d", w, minBase)
		}
	}
}

// errKey returns the catalogue key of err, or "" for nil.
func errKey(tb testing.TB, err error) string {
	tb.Helper()
	if err == nil {
		return ""
	}
	var e *errs.Error
	if !errors.As(err, &e) {
		tb.Fatalf("error %v is not an *errs.Error", err)
	}
	if e.Kind != errs.Invalid {
		tb.Errorf("error %v has kind %v, want Invalid", err, e.Kind)
	}
	return e.Key
}
