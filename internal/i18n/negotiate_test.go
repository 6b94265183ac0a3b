package i18n

import "testing"

func TestNegotiate(t *testing.T) {
	tests := []struct {
		header string
		want   Lang
		ok     bool
	}{
		{"", "", false},
		{"kk", KK, true},
		{"kk-KZ,kk;q=0.9", KK, true},
		{"ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7", RU, true},
		{"ru-KZ", RU, true},
		{"en-GB,en;q=0.9", EN, true},
		{"de-DE,en;q=0.5", EN, true},
		{"en;q=0.5,ru;q=0.9", RU, true},
		{"de-DE", "", false},
		{"*", "", false},
		{"not a header;;", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			got, ok := Negotiate(tt.header)
			if got != tt.want || ok != tt.ok {
				t.Errorf("Negotiate(%q) = %q, %v; want %q, %v", tt.header, got, ok, tt.want, tt.ok)
			}
		})
	}
}
