// Package iin reads the individual identification number (ЖСН, ИИН) of a
// person and the business identification number (БСН, БИН) of an
// organisation: their check digit, and the birth date and sex an IIN holds.
package iin

import (
	"errors"
	"fmt"
	"time"
)

// The reasons a number is refused. Pages translate them by their text.
var (
	ErrLength      = errors.New("iin.length")
	ErrDigits      = errors.New("iin.digits")
	ErrChecksum    = errors.New("iin.checksum")
	ErrNeverIssued = errors.New("iin.never_issued")
	ErrDate        = errors.New("iin.date")
	ErrFuture      = errors.New("iin.future")
	ErrCentury     = errors.New("iin.century")
)

// IIN is a parsed, valid individual identification number.
type IIN struct {
	Number    string
	BirthDate time.Time
	Male      bool
}

var (
	weights1 = [11]int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	weights2 = [11]int{3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2}
)

// CheckDigit returns the check digit of the first eleven digits of s, or
// ErrNeverIssued when both weight passes give 10.
func CheckDigit(s string) (int, error) {
	if len(s) < 11 {
		return 0, ErrLength
	}
	for _, w := range [][11]int{weights1, weights2} {
		sum := 0
		for i := range 11 {
			c := s[i]
			if c < '0' || c > '9' {
				return 0, ErrDigits
			}
			sum += int(c-'0') * w[i]
		}
		if d := sum % 11; d != 10 {
			return d, nil
		}
	}
	return 0, ErrNeverIssued
}

func checkNumber(s string) error {
	if len(s) != 12 {
		return ErrLength
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return ErrDigits
		}
	}
	d, err := CheckDigit(s)
	if err != nil {
		return err
	}
	if int(s[11]-'0') != d {
		return ErrChecksum
	}
	return nil
}

// Parse checks an IIN and reads the birth date and sex from it. now bounds
// the birth date: a person born after it cannot hold a number.
func Parse(s string, now time.Time) (IIN, error) {
	if err := checkNumber(s); err != nil {
		return IIN{}, err
	}
	c := s[6]
	if c < '1' || c > '6' {
		return IIN{}, ErrCentury
	}
	century := 1800 + 100*int((c-'1')/2)
	year := century + int(s[0]-'0')*10 + int(s[1]-'0')
	month := time.Month(int(s[2]-'0')*10 + int(s[3]-'0'))
	day := int(s[4]-'0')*10 + int(s[5]-'0')
	birth := time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
	if birth.Year() != year || birth.Month() != month || birth.Day() != day {
		return IIN{}, ErrDate
	}
	if birth.After(now) {
		return IIN{}, ErrFuture
	}
	return IIN{Number: s, BirthDate: birth, Male: (c-'1')%2 == 0}, nil
}

// The reasons a business identification number is refused besides those
// it shares with an IIN (length, digits, check digit, date, future).
var (
	ErrBINKind = errors.New("bin.kind")
	ErrBINUnit = errors.New("bin.unit")
)

// BINKind is the fifth digit of a BIN: what kind of organisation holds it.
type BINKind byte

// The kinds of organisation a BIN names.
const (
	Resident    BINKind = '4' // a legal entity resident in Kazakhstan
	NonResident BINKind = '5' // a non-resident legal entity
	Joint       BINKind = '6' // individual entrepreneurs working jointly
)

// BINUnit is the sixth digit of a BIN: which part of the organisation.
type BINUnit byte

// The parts of an organisation a BIN names.
const (
	HeadOffice     BINUnit = '0'
	Branch         BINUnit = '1'
	Representative BINUnit = '2'
	PeasantFarm    BINUnit = '3' // a peasant farm run as a joint enterprise
)

// BIN is a parsed, valid business identification number: YYMM of the
// organisation's registration, its kind and unit, a five-digit serial and
// the check digit an IIN has.
type BIN struct {
	Number     string
	Registered time.Time // the first day of the month of registration
	Kind       BINKind
	Unit       BINUnit
}

// ParseBIN checks a business identification number and reads its month of
// registration, kind and unit. The two digits of the year read as 1990–1999
// from 90 up and as 2000–2089 below: Kazakhstan registered its organisations
// anew after 1991, so no BIN carries an earlier date. now bounds the month
// of registration.
func ParseBIN(s string, now time.Time) (BIN, error) {
	if err := checkNumber(s); err != nil {
		return BIN{}, err
	}
	year := 2000 + int(s[0]-'0')*10 + int(s[1]-'0')
	if year >= 2090 {
		year -= 100
	}
	month := int(s[2]-'0')*10 + int(s[3]-'0')
	if month < 1 || month > 12 {
		return BIN{}, ErrDate
	}
	registered := time.Date(year, time.Month(month), 1, 0, 0, 0, 0, time.UTC)
	if registered.After(now) {
		return BIN{}, ErrFuture
	}
	kind, unit := BINKind(s[4]), BINUnit(s[5])
	if kind < Resident || kind > Joint {
		return BIN{}, ErrBINKind
	}
	if unit < HeadOffice || unit > PeasantFarm {
		return BIN{}, ErrBINUnit
	}
	return BIN{Number: s, Registered: registered, Kind: kind, Unit: unit}, nil
}

// Make builds a valid IIN for a birth date, a sex and a serial number. It
// returns ErrNeverIssued for the serials no valid number can carry, so a
// caller tries the next serial.
func Make(birth time.Time, male bool, serial int) (string, error) {
	var c int
	switch y := birth.Year(); {
	case y >= 1800 && y < 1900:
		c = 1
	case y >= 1900 && y < 2000:
		c = 3
	case y >= 2000 && y < 2100:
		c = 5
	default:
		return "", ErrCentury
	}
	if !male {
		c++
	}
	s := fmt.Sprintf("%02d%02d%02d%d%04d", birth.Year()%100, int(birth.Month()), birth.Day(), c, serial%10000)
	d, err := CheckDigit(s)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s%d", s, d), nil
}
