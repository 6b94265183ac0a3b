package notify_test

import (
	"testing"

	"sakura/internal/notify"
)

func TestMask(t *testing.T) {
	tests := []struct {
		ch   notify.Channel
		in   string
		want string
	}{
		{notify.SMS, "+77010000001", "+7701***0001"},
		{notify.SMS, " +77015550123 ", "+7701***0123"},
		{notify.SMS, "12345", "***"},
		{notify.SMS, "", "***"},
		{notify.SMS, "+7701ааа0001", "***"},
		{notify.Email, "aigul.s@mail.kz", "a***@mail.kz"},
		{notify.Email, "әсел@mail.kz", "ә***@mail.kz"},
		{notify.Email, "no-at-sign", "***"},
		{notify.Email, "@mail.kz", "***"},
		{notify.Email, "x@", "***"},
		{"fax", "+77010000001", "***"},
	}
	for _, tt := range tests {
		if got := notify.Mask(tt.ch, tt.in); got != tt.want {
			t.Errorf("Mask(%s, %q) = %q, want %q", tt.ch, tt.in, got, tt.want)
		}
	}
}
