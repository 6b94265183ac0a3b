package person

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaskedName returns the name a page may show to someone who typed an IIN:
// the given name and the surname's first letter, as «Айгүл С.». A person
// without a surname shows the given name alone.
func MaskedName(p Person) string {
	name := strings.TrimSpace(p.Name)
	surname := strings.TrimSpace(p.Surname)
	if surname == "" {
		return name
	}
	r, _ := utf8.DecodeRuneInString(surname)
	initial := string(unicode.ToUpper(r)) + "."
	if name == "" {
		return initial
	}
	return name + " " + initial
}

// MaskIIN returns an IIN fit for logs and error text: the first four and
// the last two digits kept, as 9007******16. Anything that is not twelve
// bytes long is masked whole, so a mistyped number never leaks either.
func MaskIIN(s string) string {
	if len(s) != 12 {
		return strings.Repeat("*", utf8.RuneCountInString(s))
	}
	return s[:4] + "******" + s[10:]
}
