package person_test

import (
	"testing"

	"sakura/internal/person"
)

func TestMaskedName(t *testing.T) {
	tests := []struct {
		name string
		p    person.Person
		want string
	}{
		{"Kazakh", person.Person{Surname: "Сейітова", Name: "Айгүл", Patronymic: "Серікқызы"}, "Айгүл С."},
		{"Kazakh letter", person.Person{Surname: "Өтегенов", Name: "Нұрлан"}, "Нұрлан Ө."},
		{"Russian", person.Person{Surname: "Иванова", Name: "Елена", Patronymic: "Сергеевна"}, "Елена И."},
		{"lower-case surname", person.Person{Surname: "ёлкина", Name: "Анна"}, "Анна Ё."},
		{"spaces", person.Person{Surname: "  Әлиев ", Name: " Ерлан "}, "Ерлан Ә."},
		{"no surname", person.Person{Name: "Айгүл"}, "Айгүл"},
		{"no name", person.Person{Surname: "Иванов"}, "И."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := person.MaskedName(tt.p); got != tt.want {
				t.Errorf("MaskedName = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMaskIIN(t *testing.T) {
	tests := []struct{ in, want string }{
		{"900725400456", "9007******56"},
		{"900725400416", "9007******16"},
		{"90072540045", "***********"},
		{"", ""},
		{"ЖСН12345", "********"},
	}
	for _, tt := range tests {
		if got := person.MaskIIN(tt.in); got != tt.want {
			t.Errorf("MaskIIN(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
