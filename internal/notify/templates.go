package notify

import (
	"embed"
	"fmt"
	"strings"
	"text/template"
	"unicode/utf16"

	"sakura/internal/i18n"
)

// Key names a message of the portal, the same in every language.
type Key string

// The messages issue 4 sends. The comment says which fields of Data each
// uses and on which channels it exists.
const (
	SignInCode      Key = "signin_code"       // Code; SMS and e-mail
	PhoneChangeCode Key = "phone_change_code" // Code; SMS and e-mail
	PasswordChanged Key = "password_changed"  // no data; SMS and e-mail
	EmailConfirm    Key = "email_confirm"     // Link; e-mail only
	PhoneChanged    Key = "phone_changed"     // no data; SMS only, to the old phone

	ApplicationSubmitted Key = "application_submitted" // Number; SMS and e-mail

	// The decisions of the back office; SMS and e-mail.
	ApplicationAccepted Key = "application_accepted" // Number
	ApplicationWaiting  Key = "application_waiting"  // Number
	ApplicationRefused  Key = "application_refused"  // Number, Reason, Comment
	ReferralIssued      Key = "referral_issued"      // Number, Referral, Until
	ApplicationEnrolled Key = "application_enrolled" // Number, Class
	ReferralExpired     Key = "referral_expired"     // Number, Referral
	SlipIssued          Key = "slip_issued"          // Number, Referral, Until: a transfer's acceptance slip
	VoucherIssued       Key = "voucher_issued"       // Number, Referral, Until: a camp voucher
	ApplicationGranted  Key = "application_granted"  // Number, Until: meals or transport
	MealsEnding         Key = "meals_ending"         // Number, Until: granted meals end in a month
)

// Catalogue lists every message and the channels it exists on; NewTemplates
// checks that each is written in every language.
var Catalogue = map[Key][]Channel{
	SignInCode:      {SMS, Email},
	PhoneChangeCode: {SMS, Email},
	PasswordChanged: {SMS, Email},
	EmailConfirm:    {Email},
	PhoneChanged:    {SMS},

	ApplicationSubmitted: {SMS, Email},
	ApplicationAccepted:  {SMS, Email},
	ApplicationWaiting:   {SMS, Email},
	ApplicationRefused:   {SMS, Email},
	ReferralIssued:       {SMS, Email},
	ApplicationEnrolled:  {SMS, Email},
	ReferralExpired:      {SMS, Email},
	SlipIssued:           {SMS, Email},
	VoucherIssued:        {SMS, Email},
	ApplicationGranted:   {SMS, Email},
	MealsEnding:          {SMS, Email},
}

// Data fills a message's placeholders.
type Data struct {
	Code   string // a one-time code
	Link   string // a confirmation link
	Number string // an application's number

	Reason   string // a refusal's reason, by code
	Comment  string // a refusal's comment
	Referral string // a referral's number
	Until    string // the last day a referral is valid, DD.MM.YYYY
	Class    string // the class letter of an enrolment
}

// Content is a rendered message: Subject is empty for SMS.
type Content struct {
	Subject string
	Body    string
}

//go:embed messages/*.tmpl
var messageFiles embed.FS

// Templates holds the messages of every language, parsed at start-up.
type Templates struct {
	byLang map[i18n.Lang]*template.Template
}

// NewTemplates parses the embedded messages and checks that every message
// of the Catalogue exists, on each of its channels, in every language.
func NewTemplates() (*Templates, error) {
	t := &Templates{byLang: map[i18n.Lang]*template.Template{}}
	var missing []string
	for _, lang := range i18n.Langs {
		name := "messages/" + string(lang) + ".tmpl"
		tmpl, err := template.New(string(lang)).Option("missingkey=error").ParseFS(messageFiles, name)
		if err != nil {
			return nil, fmt.Errorf("parse messages: %w", err)
		}
		t.byLang[lang] = tmpl

		for key, channels := range Catalogue {
			for _, ch := range channels {
				for _, part := range parts(ch) {
					if tmpl.Lookup(templateName(key, part)) == nil {
						missing = append(missing, string(lang)+":"+templateName(key, part))
					}
				}
			}
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("parse messages: missing %s", strings.Join(missing, ", "))
	}
	return t, nil
}

// parts names the templates that make a message on a channel.
func parts(ch Channel) []string {
	if ch == SMS {
		return []string{"sms"}
	}
	return []string{"subject", "body"}
}

func templateName(key Key, part string) string { return string(key) + "." + part }

// Render writes the message key for the channel in the language, which
// falls back to Kazakh when it is not one of the portal's. It fails for a
// key or channel not in the Catalogue.
func (t *Templates) Render(key Key, lang i18n.Lang, ch Channel, data Data) (Content, error) {
	if !hasChannel(Catalogue[key], ch) {
		return Content{}, fmt.Errorf("render message %s: no %s form", key, ch)
	}
	tmpl, ok := t.byLang[lang]
	if !ok {
		tmpl = t.byLang[i18n.KK]
	}

	var out [2]string
	for i, part := range parts(ch) {
		var b strings.Builder
		if err := tmpl.ExecuteTemplate(&b, templateName(key, part), data); err != nil {
			return Content{}, fmt.Errorf("render message %s: %w", key, err)
		}
		out[i] = b.String()
	}
	if ch == SMS {
		return Content{Body: out[0]}, nil
	}
	return Content{Subject: out[0], Body: out[1]}, nil
}

func hasChannel(channels []Channel, ch Channel) bool {
	for _, c := range channels {
		if c == ch {
			return true
		}
	}
	return false
}

// SMS encodings.
const (
	GSM7 = "GSM-7"
	UCS2 = "UCS-2"
)

// gsmBasic is the GSM 03.38 basic character set; gsmExtended holds the
// characters that take an escape and so count twice.
const (
	gsmBasic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
		"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
	gsmExtended = "^{}\\[~]|€\f"
)

// Segments tells how an SMS text is encoded and how many segments it takes:
// GSM-7 when every character is in the GSM alphabet (160 characters in one
// segment, 153 in each of several), else UCS-2 (70 in one, 67 in each of
// several, counted in UTF-16 units). Kazakh and Russian texts are UCS-2.
func Segments(text string) (encoding string, n int) {
	septets, gsm := 0, true
	for _, r := range text {
		switch {
		case strings.ContainsRune(gsmBasic, r):
			septets++
		case strings.ContainsRune(gsmExtended, r):
			septets += 2
		default:
			gsm = false
		}
	}
	if gsm {
		return GSM7, segmentCount(septets, 160, 153)
	}
	return UCS2, segmentCount(len(utf16.Encode([]rune(text))), 70, 67)
}

func segmentCount(units, single, multi int) int {
	switch {
	case units == 0:
		return 0
	case units <= single:
		return 1
	}
	return (units + multi - 1) / multi
}
