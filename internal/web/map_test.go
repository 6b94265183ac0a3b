package web

import "testing"

func TestTileOrigin(t *testing.T) {
	tests := []struct {
		url, want string
		ok        bool
	}{
		{"https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org", true},
		{"https://{s}.tile.example.org/{z}/{x}/{y}{r}.png", "https://*.tile.example.org", true},
		{"http://127.0.0.1:8081/tiles/{z}/{x}/{y}.png", "http://127.0.0.1:8081", true},
		{"https://tile.openstreetmap.org/{z}/{x}.png", "", false},
		{"/tiles/{z}/{x}/{y}.png", "", false},
		{"javascript:alert(1)//{z}/{x}/{y}", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, err := TileOrigin(tt.url)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("TileOrigin(%q) = %q, %v; want %q, ok %v", tt.url, got, err, tt.want, tt.ok)
		}
	}
}

func TestContentSecurityPolicyFor(t *testing.T) {
	got := contentSecurityPolicyFor("https://tile.openstreetmap.org")
	want := "default-src 'self'; img-src 'self' data: https://tile.openstreetmap.org; object-src 'none'; " +
		"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
	if got != want {
		t.Errorf("CSP = %q, want %q", got, want)
	}
}
