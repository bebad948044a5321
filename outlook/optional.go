package outlook

import (
	"bytes"
	"encoding/json"
)

// optionalState says whether an Optional is absent, null or set.
type optionalState uint8

const (
	optAbsent optionalState = iota
	optNull
	optSet
)

// Optional is one property of a patch (an update body such as MessageUpdate)
// with three states: absent (the zero value: the property is not sent at
// all), null (sent as JSON null, clearing the property on the server) or a
// value. Struct fields of this type must carry the `omitzero` JSON option so
// that absent properties are left out:
//
//	type MessageUpdate struct {
//		Subject outlook.Optional[string] `json:"Subject,omitzero"`
//	}
//
//	u := outlook.MessageUpdate{Subject: outlook.Set("Hello"), Flag: outlook.Null[outlook.FollowupFlag]()}
//	// → {"Subject":"Hello","Flag":null}
//
// Optional is generic and is meant for every patch type of this package
// (messages, folders, rules, events, contacts, tasks …).
type Optional[T any] struct {
	value T
	state optionalState
}

// Set returns an Optional holding v.
func Set[T any](v T) Optional[T] { return Optional[T]{value: v, state: optSet} }

// Null returns an Optional that is sent as JSON null.
func Null[T any]() Optional[T] { return Optional[T]{state: optNull} }

// IsZero reports whether the Optional is absent; encoding/json's omitzero
// option uses it to leave the property out.
func (o Optional[T]) IsZero() bool { return o.state == optAbsent }

// IsNull reports whether the Optional is an explicit null.
func (o Optional[T]) IsNull() bool { return o.state == optNull }

// IsSet reports whether the Optional holds a value.
func (o Optional[T]) IsSet() bool { return o.state == optSet }

// Get returns the value and whether one is set.
func (o Optional[T]) Get() (T, bool) { return o.value, o.state == optSet }

// MarshalJSON encodes the value, or null when the Optional is null. An
// absent Optional also encodes as null; use omitzero to leave it out.
func (o Optional[T]) MarshalJSON() ([]byte, error) {
	if o.state != optSet {
		return []byte("null"), nil
	}
	return json.Marshal(o.value)
}

// UnmarshalJSON sets the Optional from JSON: null makes it null, anything
// else is decoded as a value. (A property missing from the JSON leaves the
// Optional absent.)
func (o *Optional[T]) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		var zero T
		o.value, o.state = zero, optNull
		return nil
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	o.value, o.state = v, optSet
	return nil
}

// Ptr returns a pointer to v. It is a convenience for the pointer-typed
// fields of entities (Message.IsRead, MessageRule.Sequence, …).
func Ptr[T any](v T) *T { return &v }
