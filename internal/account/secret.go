package account

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
)

// codeSpace is the number of distinct one-time codes: six decimal digits.
const codeSpace = 1_000_000

// codeLimit is the largest multiple of codeSpace that fits in a uint32. A
// draw at or above it is thrown away so that every code is equally likely.
const codeLimit = (1 << 32) / codeSpace * codeSpace

// NewCode returns a one-time code of six decimal digits, leading zeros kept,
// drawn uniformly from a cryptographic source.
func NewCode() string {
	var b [4]byte
	for {
		rand.Read(b[:]) // never fails: the runtime stops the program instead
		if v := binary.BigEndian.Uint32(b[:]); v < codeLimit {
			return fmt.Sprintf("%06d", v%codeSpace)
		}
	}
}

// NewToken returns 32 random bytes in URL-safe base64 without padding: 43
// characters, fit for a cookie or a link.
func NewToken() string {
	var b [32]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// HashToken returns the hex SHA-256 of a token. Tables keep this for
// sessions, attempts and links, never the token itself.
func HashToken(token string) string {
	return hashHex("", token)
}

// HashCode returns the hex HMAC-SHA256 of a one-time code keyed by the token
// of its attempt, so that a stored code is hashed and good for that attempt
// only.
func HashCode(token, code string) string {
	m := hmac.New(sha256.New, []byte(token))
	m.Write([]byte(code))
	return hex.EncodeToString(m.Sum(nil))
}

// SubjectKey returns the key that the limits count a person's tries by: the
// hex SHA-256 of the IIN, so that no limit table holds it in clear.
func SubjectKey(iin string) string {
	return hashHex("iin:", iin)
}

// ClientKey returns the key that the limits count a client's tries by: the
// hex SHA-256 of its network address.
func ClientKey(addr string) string {
	return hashHex("client:", addr)
}

// EqualHash reports whether two hashes are equal, in a time that does not
// depend on where they first differ.
func EqualHash(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

func hashHex(prefix, s string) string {
	sum := sha256.Sum256([]byte(prefix + s))
	return hex.EncodeToString(sum[:])
}
