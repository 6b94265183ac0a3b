package account

import (
	"encoding/base64"
	"testing"
)

func TestNewCode(t *testing.T) {
	const draws = 20000
	var counts [6][10]int
	for range draws {
		code := NewCode()
		if len(code) != 6 {
			t.Fatalf("code %q: want 6 digits", code)
		}
		for i := range 6 {
			c := code[i]
			if c < '0' || c > '9' {
				t.Fatalf("code %q: want 6 digits", code)
			}
			counts[i][c-'0']++
		}
	}

	// Chi-squared of each position against a uniform spread, 9 degrees of
	// freedom: 50 is passed by chance about once in 10^7 runs, while a
	// missing digit or a leading-zero bias of a few percent fails.
	const want = draws / 10.0
	for i, row := range counts {
		var chi2 float64
		for _, n := range row {
			d := float64(n) - want
			chi2 += d * d / want
		}
		if chi2 > 50 {
			t.Errorf("position %d: digit counts %v, chi-squared %.1f", i, row, chi2)
		}
	}
}

func TestNewToken(t *testing.T) {
	seen := make(map[string]bool)
	for range 1000 {
		tok := NewToken()
		if len(tok) != 43 {
			t.Fatalf("token %q: length %d, want 43", tok, len(tok))
		}
		if b, err := base64.RawURLEncoding.DecodeString(tok); err != nil || len(b) != 32 {
			t.Fatalf("token %q: not 32 bytes of raw URL base64: %v", tok, err)
		}
		if seen[tok] {
			t.Fatalf("token %q drawn twice", tok)
		}
		seen[tok] = true
	}
}

func TestHashes(t *testing.T) {
	tok1, tok2 := NewToken(), NewToken()
	tests := []struct {
		name string
		got  string
		want string
	}{
		// Known SHA-256 values: sha256("abc"), sha256("iin:"+iin), sha256("client:"+addr).
		{"HashToken", HashToken("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{"SubjectKey", SubjectKey("870412300123"), HashToken("iin:870412300123")},
		{"ClientKey", ClientKey("192.0.2.1"), HashToken("client:192.0.2.1")},
		// RFC 4231 test case 2: HMAC-SHA256 with key "Jefe".
		{"HashCode", HashCode("Jefe", "what do ya want for nothing?"), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %s, want %s", tt.name, tt.got, tt.want)
		}
	}

	if HashCode(tok1, "123456") == HashCode(tok2, "123456") {
		t.Error("HashCode gives one value for two attempts")
	}
	if HashCode(tok1, "123456") == HashCode(tok1, "123457") {
		t.Error("HashCode gives one value for two codes")
	}
	if SubjectKey("192.0.2.1") == ClientKey("192.0.2.1") {
		t.Error("SubjectKey and ClientKey share a key space")
	}
}

func TestEqualHash(t *testing.T) {
	a := HashToken("a")
	for _, tt := range []struct {
		x, y string
		want bool
	}{
		{a, a, true},
		{a, HashToken("b"), false},
		{a, a[:10], false},
		{"", "", true},
	} {
		if got := EqualHash(tt.x, tt.y); got != tt.want {
			t.Errorf("EqualHash(%.8q, %.8q) = %v, want %v", tt.x, tt.y, got, tt.want)
		}
	}
}
