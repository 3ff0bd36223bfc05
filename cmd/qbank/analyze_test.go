package main

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/qbank/qbank/internal/analysis"
	"github.com/qbank/qbank/internal/config"
)

// Every threshold of analysis.Thresholds can be set in .qbank.yaml under
// its yaml key, and reaches the analysis: the configuration and the
// engine cannot drift apart.
func TestEveryThresholdIsConfigurable(t *testing.T) {
	def := analysis.DefaultThresholds()
	typ := reflect.TypeOf(def)
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		key := f.Tag.Get("yaml")
		if key == "" {
			t.Errorf("Thresholds.%s has no yaml key", f.Name)
			continue
		}
		val := "0.42"
		if f.Type.Kind() == reflect.Int {
			val = "42"
		}
		cfg, err := config.Parse([]byte(fmt.Sprintf("analysis:\n  %s: %s\n", key, val)), ".qbank.yaml")
		if err != nil {
			t.Errorf("%s: %v", key, err)
			continue
		}
		got := reflect.ValueOf(thresholds(cfg.Analysis)).Field(i)
		if fmt.Sprint(got.Interface()) != val {
			t.Errorf("%s: %s = %v; want %s", key, f.Name, got.Interface(), val)
		}
		for j := 0; j < typ.NumField(); j++ {
			if j != i && reflect.ValueOf(thresholds(cfg.Analysis)).Field(j).Interface() != reflect.ValueOf(def).Field(j).Interface() {
				t.Errorf("%s also changed %s", key, typ.Field(j).Name)
			}
		}
	}
}
