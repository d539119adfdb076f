package serve

import "testing"

// TestRuleText: common rules in words, the others left to the RRULE.
func TestRuleText(t *testing.T) {
	for rule, want := range map[string]string{
		"FREQ=WEEKLY;BYDAY=TU;COUNT=6":                 "Every week on Tuesday, 6 times",
		"FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE,FR":        "Every 2 weeks on Monday, Wednesday and Friday",
		"FREQ=MONTHLY;BYDAY=-1FR":                      "Every month on the last Friday",
		"FREQ=MONTHLY;BYMONTHDAY=1,22":                 "Every month on the 1st and 22nd",
		"FREQ=YEARLY;BYMONTH=3;UNTIL=20300101T000000Z": "Every year in March, until 1 January 2030",
		"FREQ=DAILY;COUNT=1":                           "Every day, once",
		"FREQ=MONTHLY;BYDAY=MO;BYSETPOS=2":             "",
		"FREQ=HOURLY":                                  "",
		"garbage":                                      "",
	} {
		if got := ruleText(rule); got != want {
			t.Errorf("%s: %q, want %q", rule, got, want)
		}
	}
}
