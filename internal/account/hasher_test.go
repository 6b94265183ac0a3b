package account

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"sakura/internal/errs"
)

// fastParams keep the tests quick; the benchmarks use DefaultParams.
var fastParams = Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// MustHash returns password hashed by h, failing the test on an error.
func MustHash(tb testing.TB, h *Hasher, password string) string {
	tb.Helper()
	encoded, err := h.Hash(context.Background(), password)
	if err != nil {
		tb.Fatalf("Hash: %v", err)
	}
	return encoded
}

func TestHasherRoundTrip(t *testing.T) {
	h := NewHasher(fastParams, 2)
	ctx := context.Background()
	encoded := MustHash(t, h, "correct horse battery")

	if !strings.HasPrefix(encoded, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("encoded = %q, want the PHC argon2id prefix", encoded)
	}
	if other := MustHash(t, h, "correct horse battery"); other == encoded {
		t.Error("two hashes of one password are equal: salt not random")
	}

	for _, tt := range []struct {
		password string
		want     bool
	}{
		{"correct horse battery", true},
		{"correct horse batterY", false},
		{"", false},
	} {
		ok, err := h.Verify(ctx, encoded, tt.password)
		if err != nil {
			t.Fatalf("Verify(%q): %v", tt.password, err)
		}
		if ok != tt.want {
			t.Errorf("Verify(%q) = %v, want %v", tt.password, ok, tt.want)
		}
	}
}

func TestHasherDefaultFormat(t *testing.T) {
	encoded := MustHash(t, NewHasher(DefaultParams, 1), "correct horse battery")
	parts := strings.Split(encoded, "$")
	got := []any{len(parts), parts[1], parts[2], parts[3], len(parts[4]), len(parts[5])}
	want := []any{6, "argon2id", "v=19", "m=19456,t=2,p=1", 22, 43} // 16 and 32 bytes in raw base64
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("encoded %q mismatch (-want +got):\n%s", encoded, diff)
	}
}

func TestVerifyReadsParams(t *testing.T) {
	// A hash made under other params verifies with a hasher whose defaults
	// have since changed.
	old := Params{Memory: 32, Time: 3, Threads: 2, SaltLen: 8, KeyLen: 16}
	encoded := MustHash(t, NewHasher(old, 1), "correct horse battery")
	if !strings.Contains(encoded, "$m=32,t=3,p=2$") {
		t.Fatalf("encoded = %q, want the old params in it", encoded)
	}

	ok, err := NewHasher(fastParams, 1).Verify(context.Background(), encoded, "correct horse battery")
	if err != nil || !ok {
		t.Errorf("Verify with new defaults = %v, %v; want true, nil", ok, err)
	}
}

func TestVerifyTampered(t *testing.T) {
	h := NewHasher(fastParams, 1)
	ctx := context.Background()
	encoded := MustHash(t, h, "correct horse battery")
	parts := strings.Split(encoded, "$")

	// Changed but well formed: no match, no error.
	flip := func(s string) string {
		c := byte('A')
		if s[0] == 'A' {
			c = 'B'
		}
		return string(c) + s[1:]
	}
	for name, enc := range map[string]string{
		"salt":   strings.Join([]string{"", parts[1], parts[2], parts[3], flip(parts[4]), parts[5]}, "$"),
		"hash":   strings.Join([]string{"", parts[1], parts[2], parts[3], parts[4], flip(parts[5])}, "$"),
		"params": strings.Join([]string{"", parts[1], parts[2], "m=64,t=2,p=1", parts[4], parts[5]}, "$"),
	} {
		ok, err := h.Verify(ctx, enc, "correct horse battery")
		if err != nil || ok {
			t.Errorf("%s changed: Verify = %v, %v; want false, nil", name, ok, err)
		}
	}

	// Malformed: an error that is not ErrBusy.
	for name, enc := range map[string]string{
		"garbage":     "not a hash",
		"bcrypt":      "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
		"argon2i":     strings.Replace(encoded, "argon2id", "argon2i", 1),
		"version":     strings.Replace(encoded, "v=19", "v=16", 1),
		"no params":   strings.Join([]string{"", parts[1], parts[2], "", parts[4], parts[5]}, "$"),
		"trailing":    strings.Join([]string{"", parts[1], parts[2], parts[3] + ",x=1", parts[4], parts[5]}, "$"),
		"threads":     strings.Join([]string{"", parts[1], parts[2], "m=64,t=1,p=0", parts[4], parts[5]}, "$"),
		"huge memory": strings.Join([]string{"", parts[1], parts[2], "m=4294967295,t=1,p=1", parts[4], parts[5]}, "$"),
		"padded salt": strings.Join([]string{"", parts[1], parts[2], parts[3], parts[4] + "==", parts[5]}, "$"),
		"bad base64":  strings.Join([]string{"", parts[1], parts[2], parts[3], parts[4], "!!" + parts[5]}, "$"),
		"short key":   strings.Join([]string{"", parts[1], parts[2], parts[3], parts[4], parts[5][:8]}, "$"),
		"extra":       encoded + "$x",
	} {
		ok, err := h.Verify(ctx, enc, "correct horse battery")
		if err == nil || ok || errors.Is(err, ErrBusy) || !errors.Is(err, errMalformed) {
			t.Errorf("%s: Verify = %v, %v; want false and a malformed error", name, ok, err)
		}
	}
}

func TestVerifyEmpty(t *testing.T) {
	h := NewHasher(fastParams, 1)
	for _, password := range []string{"", "correct horse battery"} {
		ok, err := h.Verify(context.Background(), "", password)
		if err != nil || ok {
			t.Errorf("Verify(empty, %q) = %v, %v; want false, nil", password, ok, err)
		}
	}
}

func TestHasherBusy(t *testing.T) {
	h := NewHasher(fastParams, 2)
	ctx := context.Background()
	encoded := MustHash(t, h, "correct horse battery")

	// Take every slot, as two long hashes in flight would.
	for range 2 {
		if !h.acquire() {
			t.Fatal("acquire failed on a free pool")
		}
	}
	if _, err := h.Hash(ctx, "correct horse battery"); err != ErrBusy {
		t.Errorf("Hash on a full pool: %v, want ErrBusy", err)
	}
	if _, err := h.Verify(ctx, encoded, "correct horse battery"); err != ErrBusy {
		t.Errorf("Verify on a full pool: %v, want ErrBusy", err)
	}
	if _, err := h.Verify(ctx, "", "correct horse battery"); err != ErrBusy {
		t.Errorf("Verify(empty) on a full pool: %v, want ErrBusy", err)
	}
	if errs.KindOf(ErrBusy) != errs.Unavailable || !errors.Is(ErrBusy, errs.ErrUnavailable) {
		t.Errorf("ErrBusy = %v, want kind Unavailable", ErrBusy)
	}

	// One slot back: work goes on.
	h.release()
	if ok, err := h.Verify(ctx, encoded, "correct horse battery"); err != nil || !ok {
		t.Errorf("Verify after release = %v, %v; want true, nil", ok, err)
	}
	h.release()
}

func TestHasherConcurrent(t *testing.T) {
	// More callers than slots: each either finishes or is turned away, and
	// the slots all come back.
	h := NewHasher(fastParams, 2)
	encoded := MustHash(t, h, "correct horse battery")
	var done, busy atomic.Int32
	errc := make(chan error, 16)
	for range 16 {
		go func() {
			ok, err := h.Verify(context.Background(), encoded, "correct horse battery")
			switch {
			case err == ErrBusy:
				busy.Add(1)
			case err == nil && ok:
				done.Add(1)
			default:
				t.Errorf("Verify = %v, %v", ok, err)
			}
			errc <- err
		}()
	}
	for range 16 {
		<-errc
	}
	if done.Load()+busy.Load() != 16 || done.Load() == 0 {
		t.Errorf("done %d, busy %d of 16", done.Load(), busy.Load())
	}
	if n := len(h.slots); n != 0 {
		t.Errorf("%d slots still taken", n)
	}
}

func TestHasherContextDone(t *testing.T) {
	h := NewHasher(fastParams, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := h.Hash(ctx, "correct horse battery"); !errors.Is(err, context.Canceled) {
		t.Errorf("Hash: %v, want context.Canceled", err)
	}
	if _, err := h.Verify(ctx, "", "x"); !errors.Is(err, context.Canceled) {
		t.Errorf("Verify: %v, want context.Canceled", err)
	}
}

func TestNewHasher(t *testing.T) {
	if n := cap(NewHasher(fastParams, 0).slots); n != runtime.GOMAXPROCS(0) {
		t.Errorf("slots = %d, want GOMAXPROCS %d", n, runtime.GOMAXPROCS(0))
	}
	defer func() {
		if recover() == nil {
			t.Error("NewHasher with no threads did not panic")
		}
	}()
	NewHasher(Params{Memory: 64, Time: 1, SaltLen: 16, KeyLen: 32}, 1)
}

func FuzzDecode(f *testing.F) {
	f.Add("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g")
	f.Add("$argon2id$v=19$m=64,t=1,p=1$$")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		p, salt, key, err := decode(s)
		if err != nil {
			return
		}
		if err := p.check(); err != nil {
			t.Fatalf("decode(%q) accepted bad params: %v", s, err)
		}
		if got := encode(p, salt, key); got != s {
			t.Errorf("encode(decode(%q)) = %q", s, got)
		}
	})
}

func BenchmarkHash(b *testing.B) {
	h := NewHasher(DefaultParams, 1)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.Hash(ctx, "correct horse battery"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	h := NewHasher(DefaultParams, 1)
	encoded := MustHash(b, h, "correct horse battery")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if ok, err := h.Verify(ctx, encoded, "correct horse battery"); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}

// BenchmarkVerifyParallel shows the throughput of a pool with one slot per
// processor, and how many callers it turns away (busy/op).
func BenchmarkVerifyParallel(b *testing.B) {
	h := NewHasher(DefaultParams, 0)
	encoded := MustHash(b, h, "correct horse battery")
	ctx := context.Background()
	var busy atomic.Int64
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			ok, err := h.Verify(ctx, encoded, "correct horse battery")
			if err == ErrBusy {
				busy.Add(1)
				continue
			}
			if err != nil || !ok {
				b.Error(ok, err)
				return
			}
		}
	})
	b.ReportMetric(float64(busy.Load())/float64(b.N), "busy/op")
}
