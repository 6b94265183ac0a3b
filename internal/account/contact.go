package account

import (
	"fmt"
	"net"
	"strings"

	"sakura/internal/errs"
	"sakura/internal/i18n"
)

// ParsePhone reads a Kazakhstan mobile number as people type it (+7 701
// 000 00 01, 8 701 000-00-01, 7010000001) and returns it in E.164,
// +77010000001.
func ParsePhone(s string) (string, error) {
	d := digits(s)
	switch {
	case len(d) == 11 && (d[0] == '7' || d[0] == '8'):
		d = d[1:]
	case len(d) == 10:
	default:
		return "", errPhone
	}
	if !mobileCodes[d[:3]] || strings.TrimLeft(s, " +0123456789()-.") != "" {
		return "", errPhone
	}
	return "+7" + d, nil
}

// mobileCodes are the codes of Kazakhstan's mobile networks (Beeline,
// Kcell, Activ, Tele2, Altel). Landline area codes also start with 7 (727
// Almaty, 7172 Astana), and a landline cannot receive a code.
var mobileCodes = map[string]bool{
	"700": true, "701": true, "702": true, "705": true, "706": true, "707": true, "708": true,
	"747": true, "771": true, "775": true, "776": true, "777": true, "778": true,
}

var errPhone = &errs.Error{Kind: errs.Invalid, Key: "account.phone_invalid"}

// digits keeps the decimal digits of s.
func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func validLang(l i18n.Lang) bool {
	_, ok := i18n.ParseLang(string(l))
	return ok
}

// MaskAddr keeps enough of a client address to recognise a network and no
// more: the first three parts of an IPv4 address, the first three groups
// of an IPv6 one.
func MaskAddr(addr string) string {
	host := addr
	if h, _, err := net.SplitHostPort(addr); err == nil {
		host = h
	}
	ip := net.ParseIP(host)
	switch {
	case ip == nil:
		return ""
	case ip.To4() != nil:
		v4 := ip.To4()
		return fmt.Sprintf("%d.%d.%d.x", v4[0], v4[1], v4[2])
	default:
		masked := ip.Mask(net.CIDRMask(48, 128))
		return masked.String() + "/48"
	}
}

// Browser names the browser and system of a User-Agent header in a few
// words for the list of sessions, such as "Chrome, Android".
func Browser(ua string) string {
	var name, system string
	switch {
	case strings.Contains(ua, "Edg/"):
		name = "Edge"
	case strings.Contains(ua, "YaBrowser/"):
		name = "Yandex Browser"
	case strings.Contains(ua, "OPR/"):
		name = "Opera"
	case strings.Contains(ua, "Firefox/"):
		name = "Firefox"
	case strings.Contains(ua, "Chrome/") || strings.Contains(ua, "Chromium/"):
		name = "Chrome"
	case strings.Contains(ua, "Safari/"):
		name = "Safari"
	}
	switch {
	case strings.Contains(ua, "Android"):
		system = "Android"
	case strings.Contains(ua, "iPhone"), strings.Contains(ua, "iPad"):
		system = "iOS"
	case strings.Contains(ua, "Windows"):
		system = "Windows"
	case strings.Contains(ua, "Mac OS X"):
		system = "macOS"
	case strings.Contains(ua, "Linux"):
		system = "Linux"
	}
	switch {
	case name != "" && system != "":
		return name + ", " + system
	case name != "":
		return name
	default:
		return system
	}
}
