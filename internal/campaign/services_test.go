package campaign_test

import (
	"slices"
	"testing"
	"time"

	"sakura/internal/campaign"
)

// TestCheckServices: the model rules hold for any year; each rule out of
// its bounds is named, and only it.
func TestCheckServices(t *testing.T) {
	for _, year := range []int{2025, 2026, 2027} {
		if bad := campaign.Default("almaty", year).CheckServices(); len(bad) != 0 {
			t.Errorf("the model rules of %d break %v", year, bad)
		}
	}
	tests := []struct {
		rule   string
		change func(c *campaign.Campaign)
	}{
		{"transfer.window", func(c *campaign.Campaign) {
			c.Transfer.Window = campaign.Period{From: day(2026, time.June, 2), To: day(2026, time.June, 1)}
		}},
		{"transfer.holidays", func(c *campaign.Campaign) {
			c.Transfer.Holidays = append(c.Transfer.Holidays, campaign.Period{From: day(2062, time.May, 1), To: day(2062, time.May, 9)})
		}},
		{"transfer.slip_days", func(c *campaign.Campaign) { c.Transfer.SlipDays = 0 }},
		{"grade10.window", func(c *campaign.Campaign) { c.Grade10.Window.To = day(2028, time.January, 1) }},
		{"meals.window", func(c *campaign.Campaign) { c.Meals.Window = campaign.Period{} }},
		{"meals.until", func(c *campaign.Campaign) { c.Meals.Until = c.Meals.Window.From.AddDate(0, 0, -1) }},
		{"meals.remind_days", func(c *campaign.Campaign) { c.Meals.RemindDays = 121 }},
		{"camp.window", func(c *campaign.Campaign) { c.Camp.Window.From = day(2024, time.December, 31) }},
		{"camp.voucher_days", func(c *campaign.Campaign) { c.Camp.VoucherDays = 31 }},
		{"transport.window", func(c *campaign.Campaign) { c.Transport.Window.From = c.Transport.Window.To.AddDate(0, 0, 1) }},
		{"transport.threshold", func(c *campaign.Campaign) { c.Transport.Threshold = 499 }},
	}
	for _, tt := range tests {
		c := campaign.Default("almaty", 2026)
		tt.change(&c)
		if bad := c.CheckServices(); !slices.Equal(bad, []string{tt.rule}) {
			t.Errorf("%s broken: CheckServices() = %v", tt.rule, bad)
		}
	}
	c := campaign.Default("almaty", 2026)
	c.Transfer.SlipDays, c.Camp.VoucherDays, c.Meals.RemindDays = 30, 1, 0
	c.Transport.Threshold = 50_000
	if bad := c.CheckServices(); len(bad) != 0 {
		t.Errorf("the bounds themselves refused: %v", bad)
	}
}
