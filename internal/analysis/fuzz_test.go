package analysis

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
)

// FuzzAnalyze builds a small dataset from the input (items of 2-5
// letters, single or multiple, forms with scored and pretest slots, any
// answers): Analyze never panics, and its report always encodes as JSON
// (no NaN or infinity anywhere).
func FuzzAnalyze(f *testing.F) {
	f.Add([]byte{4, 2, 0x35, 0x12, 0x44, 0x81, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
	f.Add([]byte{2, 1, 0xff, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{6, 3, 0x0f, 0xf0, 0x3c, 0x81, 0x42, 0x24, 0x99, 0x66, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 4 {
			return
		}
		n := 1 + int(data[0])%6
		nf := 1 + int(data[1])%3
		if len(data) < 2+n+nf {
			return
		}
		d := &Dataset{}
		for i := range n {
			c := data[2+i]
			letters := 2 + int(c)%4
			key := uint32(c>>2)%(1<<letters) | 1
			typ := "single"
			if key&(key-1) != 0 {
				typ = "multiple"
			}
			d.Items = append(d.Items, Item{ID: fmt.Sprintf("Q%d", i), Revision: 1, Type: typ, Letters: letters, Key: key})
		}
		for x := range nf {
			mask := data[2+n+x]
			form := Form{Form: fmt.Sprintf("F%d", x), Bundle: "1"}
			for i := range n {
				if mask>>i&1 == 1 {
					role := RoleScored
					if mask&0x80 != 0 && i == n-1 {
						role = RolePretest
					}
					form.Slots = append(form.Slots, Slot{Item: i, Role: role})
				}
			}
			d.Forms = append(d.Forms, form)
		}
		rest := data[2+n+nf:]
		for p := 0; p+1 < len(rest); p += 2 {
			fi := int(rest[p]) % nf
			a := Attempt{ID: fmt.Sprint(p), Form: fi}
			for j, s := range d.Forms[fi].Slots {
				it := d.Items[s.Item]
				c := uint32(rest[p+1]>>(j%4)) % (1 << it.Letters)
				a.Responses = append(a.Responses, Response{Presented: true, Chosen: c, Correct: c == it.Key})
			}
			d.Attempts = append(d.Attempts, a)
		}
		rep, err := Analyze(context.Background(), d, Options{})
		if err != nil {
			return
		}
		if _, err := json.Marshal(rep); err != nil {
			t.Fatalf("report does not encode: %v", err)
		}
	})
}
