package store

import (
	"errors"
	"fmt"
)

// UpdateProfile changes the named profile's non-secret fields with change
// and saves the file, returning the profile as saved. It never touches the
// keyring: request options, such as placement and format, are not the
// secret, so changing them must not read the secret again (a prompt on
// some keyrings) nor rewrite it. change may not rename the profile, since
// the secret is kept under the name.
func (s *Store) UpdateProfile(name string, change func(*Profile)) (Profile, error) {
	var p Profile
	err := s.edit(name, func(d *fileData, i int) error {
		p = d.Profiles[i]
		change(&p)
		if p.Name != name {
			return errors.New("update profile: a profile cannot be renamed, its secret is kept under its name")
		}
		if p.AppCredentials != d.Profiles[i].AppCredentials {
			return errors.New("update profile: whether a profile has its own application is changed by logging in again, since its secret is in the keyring")
		}
		if err := checkProfile(p); err != nil {
			return err
		}
		d.Profiles[i] = p
		if err := s.write(d); err != nil {
			return fmt.Errorf("update profile %q: %w", name, err)
		}
		return nil
	})
	if err != nil {
		return Profile{}, err
	}
	return p, nil
}
