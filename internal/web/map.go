package web

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Tiles is the tile server the maps draw their background from, and the
// credit its licence asks for. The map_assets partial hands both to map.js,
// and the Content-Security-Policy lets images come from the server's origin,
// and from no other.
type Tiles struct {
	URL         string // a URL template with {z}, {x} and {y}, and optionally {s}
	Attribution string // HTML, shown in the corner of every map
}

// TileOrigin returns the origin of a tile URL template, as the CSP's img-src
// names it: https://tile.openstreetmap.org, or https://*.tile.example.org
// for a template whose host starts with {s}. It fails on anything but an
// absolute http or https URL holding {z}, {x} and {y}.
func TileOrigin(template string) (string, error) {
	for _, v := range []string{"{z}", "{x}", "{y}"} {
		if !strings.Contains(template, v) {
			return "", fmt.Errorf("tile URL %q has no %s", template, v)
		}
	}

	// The placeholders are not valid in a host, so they are swapped for
	// plain words before parsing.
	u, err := url.Parse(strings.NewReplacer("{s}", "s0", "{z}", "0", "{x}", "0", "{y}", "0",
		"{r}", "").Replace(template))
	if err != nil {
		return "", fmt.Errorf("tile URL: %w", err)
	}
	if u.Scheme != "https" && u.Scheme != "http" || u.Host == "" {
		return "", errors.New("tile URL must be an absolute http or https URL")
	}
	host := u.Host
	if rest, ok := strings.CutPrefix(host, "s0."); ok && strings.Contains(template, "{s}.") {
		host = "*." + rest
	}
	return u.Scheme + "://" + host, nil
}

// contentSecurityPolicyFor is the CSP of every response: everything from
// the portal itself, and map tiles from the tile server's origin.
func contentSecurityPolicyFor(tileOrigin string) string {
	img := "img-src 'self' data:"
	if tileOrigin != "" {
		img += " " + tileOrigin
	}
	return "default-src 'self'; " + img + "; object-src 'none'; " +
		"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
}
