package account

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"

	"sakura/internal/errs"
)

// Params are the cost of argon2id and the sizes of its salt and key.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes over the memory
	Threads uint8
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// DefaultParams follow the OWASP minimum for argon2id: 19 MiB, two passes,
// one thread. Hashes made with other params still verify, since every hash
// carries its own.
var DefaultParams = Params{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// ErrBusy is returned by Hash and Verify when every slot of the pool is
// taken. The web layer answers 503 with Retry-After.
var ErrBusy error = &errs.Error{Kind: errs.Unavailable, Key: "account.busy", RetryAfter: 2 * time.Second}

// errMalformed is wrapped by Verify when a stored hash cannot be read.
var errMalformed = errors.New("malformed password hash")

// Bounds on params read from a stored hash, so that a damaged row cannot ask
// for gigabytes of memory or hours of work.
const (
	maxMemory  = 1 << 20 // KiB: 1 GiB
	maxTime    = 64
	minSaltLen = 8
	minKeyLen  = 16
	maxLen     = 1024
)

// dummySalt is the salt of the hash Verify computes when there is no stored
// hash, so that a missing account costs as much time as a wrong password.
var dummySalt = []byte("sakura-no-such-account")

// Hasher hashes and verifies passwords with argon2id, at most a fixed
// number at a time. Each hash takes Params.Memory of memory while it runs,
// so the number of slots bounds the memory that logins can take.
type Hasher struct {
	params Params
	slots  chan struct{}
}

// NewHasher returns a Hasher that makes new hashes with p and runs at most
// slots hashes at once; slots <= 0 means one per processor. It panics if p
// is unusable (no time, no threads, a salt under 8 or a key under 16 bytes).
func NewHasher(p Params, slots int) *Hasher {
	if err := p.check(); err != nil {
		panic("account: " + err.Error())
	}
	if slots <= 0 {
		slots = runtime.GOMAXPROCS(0)
	}
	return &Hasher{params: p, slots: make(chan struct{}, slots)}
}

// Hash returns password hashed with a fresh salt, in the PHC string format:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>. It returns ErrBusy at once
// when the pool is full, and the context's error when it is already done.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	if !h.acquire() {
		return "", ErrBusy
	}
	defer h.release()

	p := h.params
	salt := make([]byte, p.SaltLen)
	rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return encode(p, salt, key), nil
}

// Verify reports whether password matches encoded, a hash made by Hash with
// any params. When encoded is empty (no such account) it still spends one
// hash with DefaultParams and reports false. It returns ErrBusy at once when
// the pool is full, and a wrapped error when encoded cannot be read.
func (h *Hasher) Verify(ctx context.Context, encoded, password string) (ok bool, err error) {
	if err := ctx.Err(); err != nil {
		return false, fmt.Errorf("verify password: %w", err)
	}

	// Read the hash before taking a slot: a malformed one costs nothing.
	var (
		p         Params
		salt, key []byte
	)
	if encoded == "" {
		p, salt = DefaultParams, dummySalt
	} else if p, salt, key, err = decode(encoded); err != nil {
		return false, fmt.Errorf("verify password: %w", err)
	}

	if !h.acquire() {
		return false, ErrBusy
	}
	defer h.release()

	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	if encoded == "" {
		return false, nil
	}
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// acquire takes a slot if one is free, without waiting.
func (h *Hasher) acquire() bool {
	select {
	case h.slots <- struct{}{}:
		return true
	default:
		return false
	}
}

func (h *Hasher) release() { <-h.slots }

func (p Params) check() error {
	switch {
	case p.Time < 1 || p.Time > maxTime:
		return fmt.Errorf("time %d out of range", p.Time)
	case p.Threads < 1:
		return errors.New("no threads")
	case p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemory:
		return fmt.Errorf("memory %d KiB out of range", p.Memory)
	case p.SaltLen < minSaltLen || p.SaltLen > maxLen:
		return fmt.Errorf("salt length %d out of range", p.SaltLen)
	case p.KeyLen < minKeyLen || p.KeyLen > maxLen:
		return fmt.Errorf("key length %d out of range", p.KeyLen)
	}
	return nil
}

var b64 = base64.RawStdEncoding

func encode(p Params, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// decode reads a hash in the PHC string format written by encode.
func decode(encoded string) (p Params, salt, key []byte, err error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, errMalformed
	}

	var version int
	if n, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || n != 1 {
		return p, nil, nil, fmt.Errorf("%w: version", errMalformed)
	}
	if version != argon2.Version {
		return p, nil, nil, fmt.Errorf("%w: version %d", errMalformed, version)
	}

	// Sscanf stops at the first mismatch, so compare the round trip to catch
	// trailing text and signs.
	var m, t, th uint32
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &th); err != nil ||
		fmt.Sprintf("m=%d,t=%d,p=%d", m, t, th) != parts[3] || th > 255 {
		return p, nil, nil, fmt.Errorf("%w: params", errMalformed)
	}

	if salt, err = b64.Strict().DecodeString(parts[4]); err != nil {
		return p, nil, nil, fmt.Errorf("%w: salt", errMalformed)
	}
	if key, err = b64.Strict().DecodeString(parts[5]); err != nil {
		return p, nil, nil, fmt.Errorf("%w: hash", errMalformed)
	}

	p = Params{Memory: m, Time: t, Threads: uint8(th), SaltLen: uint32(len(salt)), KeyLen: uint32(len(key))}
	if err := p.check(); err != nil {
		return p, nil, nil, fmt.Errorf("%w: %w", errMalformed, err)
	}
	return p, salt, key, nil
}
