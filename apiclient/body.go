package apiclient

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// readLimited reads at most limit bytes; one more byte means the body is too
// large. A declared Content-Length past the limit fails before reading. On a
// read error the bytes read so far are returned with it.
//
// A declared length is allocated exactly once (a bytes.Buffer would grow
// again just to see EOF, doubling a 20 MB body's footprint). An unknown
// length is read into chunks joined once at the end, so the waste is at most
// one chunk instead of a doubling buffer's half.
func readLimited(r io.Reader, declared, limit int64) ([]byte, error) {
	if declared > limit {
		return nil, fmt.Errorf("%w: %d bytes declared, limit %d", ErrBodyTooLarge, declared, limit)
	}
	var head []byte
	if declared > 0 {
		head = make([]byte, declared)
		n, err := readFull(r, head)
		head = head[:n]
		if err != nil {
			return head, err
		}
		if int64(n) < declared {
			return head, nil // shorter than declared, but ended cleanly
		}
		// The body should end here; anything more is read on below so the
		// limit still applies.
		var one [1]byte
		m, err := r.Read(one[:])
		if m == 0 {
			if err == nil || err == io.EOF {
				return head, nil
			}
			return head, err
		}
		if err != nil && err != io.EOF {
			return append(head, one[:m]...), err
		}
		rest, err := readChunks(io.MultiReader(bytes.NewReader(one[:m]), r), limit-int64(n), int64(n))
		if errors.Is(err, ErrBodyTooLarge) {
			return nil, err
		}
		return append(head, rest...), err
	}
	out, err := readChunks(r, limit, 0)
	if errors.Is(err, ErrBodyTooLarge) {
		return nil, err
	}
	return out, err
}

// readFull reads until p is full or the reader ends; a clean EOF before p
// is full is not an error (the caller sees the short count).
func readFull(r io.Reader, p []byte) (int, error) {
	n := 0
	for n < len(p) {
		m, err := r.Read(p[n:])
		n += m
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// readChunks reads r to its end into chunks of growing size, then joins them
// into one exactly sized slice. More than limit bytes yields ErrBodyTooLarge
// (limit and already describe the whole body for the message).
func readChunks(r io.Reader, limit, already int64) ([]byte, error) {
	var chunks [][]byte
	var total int64
	size := 8 << 10
	join := func() []byte {
		out := make([]byte, 0, total)
		for _, c := range chunks {
			out = append(out, c...)
		}
		return out
	}
	for {
		buf := make([]byte, size)
		n, err := readFull(r, buf)
		if n > 0 {
			chunks = append(chunks, buf[:n])
			total += int64(n)
		}
		if total > limit {
			return nil, fmt.Errorf("%w: more than %d bytes", ErrBodyTooLarge, limit+already)
		}
		if err != nil {
			return join(), err // what arrived, for the error message
		}
		if n < size {
			if len(chunks) == 1 {
				return chunks[0], nil
			}
			return join(), nil
		}
		if size < 1<<20 {
			size *= 2
		}
	}
}
