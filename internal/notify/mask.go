package notify

import (
	"strings"
	"unicode/utf8"
)

// MaskPhone hides the middle of a phone number for logs: +77010000001
// becomes +7701***0001. Anything too short to keep both ends becomes ***.
func MaskPhone(phone string) string {
	phone = strings.TrimSpace(phone)
	if utf8.RuneCountInString(phone) != len(phone) || len(phone) < 10 {
		return "***"
	}
	return phone[:5] + "***" + phone[len(phone)-4:]
}

// MaskEmail hides the local part of an e-mail address for logs but its
// first letter: aigul.s@mail.kz becomes a***@mail.kz. The domain stays, as
// it tells which provider refused a message. Something that is not an
// address becomes ***.
func MaskEmail(addr string) string {
	addr = strings.TrimSpace(addr)
	at := strings.LastIndexByte(addr, '@')
	if at < 1 || at == len(addr)-1 {
		return "***"
	}
	first, _ := utf8.DecodeRuneInString(addr)
	return string(first) + "***" + addr[at:]
}

// Mask masks a recipient as the channel writes it: a phone for SMS, an
// address for e-mail, and *** for anything else.
func Mask(ch Channel, to string) string {
	switch ch {
	case SMS:
		return MaskPhone(to)
	case Email:
		return MaskEmail(to)
	}
	return "***"
}
