//go:build linux && !amd64 && !arm64

package stagebin

var program []byte
