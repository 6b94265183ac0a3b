package account

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn/frequency"

	"sakura/internal/errs"
)

// The bounds of a password's length, counted in characters, not bytes.
const (
	MinPassword = 12
	MaxPassword = 128
)

// minBase is the shortest listed password that is refused with padding
// after it: "monkey2024!!" goes, "love20242024" stays.
const minBase = 6

// minPersonal is the shortest personal string that a password may not
// contain.
const minPersonal = 6

// CheckPassword applies the password policy of NIST SP 800-63B: a length
// between MinPassword and MaxPassword characters, not a common password nor
// a trivial pattern, and none of the personal strings (an IIN, a phone's
// digits) of six or more characters inside it; no rules on the kinds of
// characters. It returns an *errs.Error of kind Invalid keyed
// account.password_short (Args Min), account.password_long (Args Max),
// account.password_common or account.password_personal.
func CheckPassword(password string, personal ...string) error {
	// NOTE: characters are runes, without Unicode normalisation.
	if len(password) > utf8.UTFMax*MaxPassword {
		return invalid("account.password_long", map[string]any{"Max": MaxPassword})
	}
	switch n := utf8.RuneCountInString(password); {
	case n < MinPassword:
		return invalid("account.password_short", map[string]any{"Min": MinPassword})
	case n > MaxPassword:
		return invalid("account.password_long", map[string]any{"Max": MaxPassword})
	}

	lower := strings.ToLower(password)
	if repeated(lower) || sequential(lower) || common(lower) {
		return invalid("account.password_common", nil)
	}
	if containsPersonal(lower, personal) {
		return invalid("account.password_personal", nil)
	}
	return nil
}

func invalid(key string, args map[string]any) error {
	return &errs.Error{Kind: errs.Invalid, Key: key, Args: args}
}

// repeated reports whether s is a unit of at most four characters repeated:
// "aaaaaaaaaaaa", "abababababab", "abcdabcdabcd".
func repeated(s string) bool {
	r := []rune(s)
	for k := 1; k <= 4 && k < len(r); k++ {
		same := true
		for i := k; i < len(r) && same; i++ {
			same = r[i] == r[i-k]
		}
		if same {
			return true
		}
	}
	return false
}

// sequences are runs of characters that a password may not follow, forwards
// or backwards, wrapping at the end: digits, alphabets and keyboard walks.
var sequences = []string{
	"0123456789",
	"abcdefghijklmnopqrstuvwxyz",
	"абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
	"qwertyuiopasdfghjklzxcvbnm",
	"qwertyuiop[]asdfghjkl;'zxcvbnm,./",
	"1234567890-=",
	"1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/-['=]",
	"qazwsxedcrfvtgbyhnujmikolp",
	"йцукенгшщзхъфывапролджэячсмитьбю",
}

// sequential reports whether s is a run along one of the sequences.
func sequential(s string) bool {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	backwards := string(r)

	for _, seq := range sequences {
		n := utf8.RuneCountInString(seq)
		wrapped := strings.Repeat(seq, len(r)/n+2)
		if strings.Contains(wrapped, s) || strings.Contains(wrapped, backwards) {
			return true
		}
	}
	return false
}

//go:embed commonpasswords.txt
var localPasswords string

// commonSet holds the listed passwords of at least minBase characters: the
// 30,000 commonest passwords of the zxcvbn estimator and the local ones of
// commonpasswords.txt. It is built on first use.
var commonSet = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, 30000)
	add := func(w string) {
		if w = strings.ToLower(strings.TrimSpace(w)); utf8.RuneCountInString(w) >= minBase {
			set[w] = struct{}{}
		}
	}
	for _, w := range frequency.FrequencyLists["passwords"] {
		add(w)
	}
	for line := range strings.Lines(localPasswords) {
		if !strings.HasPrefix(line, "#") {
			add(line)
		}
	}
	return set
})

// common reports whether s is a listed password, or one with padding
// (digits, punctuation, symbols, spaces) before or after it.
func common(s string) bool {
	set := commonSet()
	starts := []string{s}
	if t := strings.TrimLeftFunc(s, isPadding); t != s {
		starts = append(starts, t)
	}
	for _, t := range starts {
		for {
			if _, ok := set[t]; ok && utf8.RuneCountInString(t) >= minBase {
				return true
			}
			r, size := utf8.DecodeLastRuneInString(t)
			if size == 0 || !isPadding(r) {
				break
			}
			t = t[:len(t)-size]
		}
	}
	return false
}

func isPadding(r rune) bool {
	return unicode.IsDigit(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsSpace(r)
}

// containsPersonal reports whether s holds one of the personal strings of at
// least minPersonal characters, compared without case. A string of digits
// and phone punctuation ("+7 701 123-45-67") is compared by its digits with
// the digits of s, so separators inside the password do not hide it.
func containsPersonal(s string, personal []string) bool {
	var sDigits string
	for _, p := range personal {
		p = strings.ToLower(strings.TrimSpace(p))
		if d, ok := phoneDigits(p); ok {
			if len(d) < minPersonal {
				continue
			}
			if sDigits == "" {
				sDigits = strings.Map(keepDigit, s)
			}
			if strings.Contains(sDigits, d) {
				return true
			}
			continue
		}
		if utf8.RuneCountInString(p) >= minPersonal && strings.Contains(s, p) {
			return true
		}
	}
	return false
}

// phoneDigits returns the ASCII digits of p and whether p holds nothing but
// digits and the punctuation of a phone number.
func phoneDigits(p string) (string, bool) {
	if strings.IndexFunc(p, func(r rune) bool { return !strings.ContainsRune("0123456789+-() ", r) }) >= 0 {
		return "", false
	}
	return strings.Map(keepDigit, p), true
}

func keepDigit(r rune) rune {
	if r >= '0' && r <= '9' {
		return r
	}
	return -1
}
