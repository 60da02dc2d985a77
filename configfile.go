package procjail

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
)

// LoadConfig reads a TOML file. Keys not in the file keep DefaultConfig's
// values; an unknown key is an error naming it (a typo must not silently
// fall back to a default); the result is validated.
func LoadConfig(path string) (Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Config{}, &Error{Op: "load", Detail: path, Err: err, Hint: "check the config file's path and permissions"}
	}
	cfg, err := ParseConfig(b)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.Detail = strings.TrimPrefix(path+": "+e.Detail, ": ")
		}
		return Config{}, err
	}
	return cfg, nil
}

// ParseConfig parses TOML text like LoadConfig.
func ParseConfig(b []byte) (Config, error) {
	cfg := DefaultConfig()
	md, err := toml.NewDecoder(bytes.NewReader(b)).Decode(&cfg)
	if err != nil {
		return Config{}, &Error{Op: "load", Err: errors.Join(ErrInvalidConfig, err),
			Hint: `write TOML with top-level keys such as runtime_path = "node" and timeout = "30s"`}
	}
	if und := md.Undecoded(); len(und) > 0 {
		keys := make([]string, len(und))
		for i, k := range und {
			keys[i] = k.String()
		}
		sort.Strings(keys)
		return Config{}, &Error{Op: "load", Field: keys[0], Err: ErrInvalidConfig,
			Detail: fmt.Sprintf("unknown key(s) %s", strings.Join(keys, ", ")),
			Hint:   "check the spelling; `procjail run --help` lists every setting"}
	}
	if err := cfg.Validate(); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// EncodeTOML returns the config as TOML text that ParseConfig reads back
// to an equal Config.
func (c Config) EncodeTOML() ([]byte, error) {
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(c); err != nil {
		return nil, &Error{Op: "save", Err: err}
	}
	return buf.Bytes(), nil
}

// SaveConfig writes the config to path as TOML (mode 0644).
func SaveConfig(path string, c Config) error {
	b, err := c.EncodeTOML()
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return &Error{Op: "save", Detail: path, Err: err}
	}
	return nil
}
