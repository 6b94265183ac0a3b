package staff

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// The second factor: a TOTP code of an authenticator app (RFC 6238: six
// digits, a 30-second step, SHA-1, as every app reads it), or one of ten
// single-use recovery codes.
const (
	totpPeriod    = 30
	totpSkew      = 1 // steps accepted either side of now, for a phone's clock
	RecoveryCodes = 10
	recoveryLen   = 10 // characters of a recovery code, without the dash
)

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// Enrolment is a new authenticator secret, shown once for the app to take.
type Enrolment struct {
	Secret string // base32, as the app takes it typed
	URL    string // otpauth://…, for the QR code
}

// NewEnrolment makes a secret of 160 random bits for a login.
func NewEnrolment(issuer, login string) (Enrolment, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: login, Period: totpPeriod,
		SecretSize: 20, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return Enrolment{}, err
	}
	return Enrolment{Secret: key.Secret(), URL: key.URL()}, nil
}

// Code returns the TOTP code of a secret at t: what the app shows.
func Code(secret string, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, t, totpOpts)
}

// checkTOTP looks for code among the steps around now later than last,
// and returns the step it belongs to, or 0 when it is none of them: a
// code once taken is never taken again.
func checkTOTP(secret, code string, last int64, now time.Time) int64 {
	code = strings.TrimSpace(code)
	if len(code) != 6 {
		return 0
	}
	step := now.Unix() / totpPeriod
	for d := int64(-totpSkew); d <= totpSkew; d++ {
		s := step + d
		if s <= last {
			continue
		}
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*totpPeriod, 0), totpOpts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return s
		}
	}
	return 0
}

// recoveryAlphabet leaves out the letters and digits people mistake for one
// another (0/o, 1/l/i).
const recoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// NewRecoveryCodes returns RecoveryCodes codes such as "k7fq3-9xh2m", each
// of about 50 random bits, and the hashes a store keeps of them.
func NewRecoveryCodes() (codes, hashes []string) {
	for range RecoveryCodes {
		c := randomText(recoveryLen, recoveryLen/2)
		codes = append(codes, c)
		hashes = append(hashes, HashRecoveryCode(c))
	}
	return codes, hashes
}

// NewPassword makes a password for a new account: 20 random letters and
// digits in groups of five, about 99 bits.
func NewPassword() string { return randomText(20, 5) }

// randomText draws n characters of recoveryAlphabet from a cryptographic
// source, a dash between groups of group.
func randomText(n, group int) string {
	var s strings.Builder
	for i := 0; i < n; {
		var b [1]byte
		rand.Read(b[:])
		if int(b[0]) >= 256/len(recoveryAlphabet)*len(recoveryAlphabet) {
			continue // thrown away, so that every character is equally likely
		}
		if i > 0 && i%group == 0 {
			s.WriteByte('-')
		}
		s.WriteByte(recoveryAlphabet[int(b[0])%len(recoveryAlphabet)])
		i++
	}
	return s.String()
}

// HashRecoveryCode returns the hex SHA-256 of a recovery code as typed, in
// any case, with or without its dash and spaces.
func HashRecoveryCode(code string) string {
	norm := strings.Map(func(r rune) rune {
		switch {
		case r == '-' || r == ' ':
			return -1
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return r
	}, code)
	sum := sha256.Sum256([]byte("recovery:" + norm))
	return hex.EncodeToString(sum[:])
}
