package stage

import "errors"

func asStep[T error](err error, target *T) bool { return errors.As(err, target) }
