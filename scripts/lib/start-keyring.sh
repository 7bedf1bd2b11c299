#!/bin/sh
# Inside a D-Bus session: start gnome-keyring's Secret Service unlocked with
# a throwaway password, and wait until it owns org.freedesktop.secrets —
# --unlock returns before that, and a client calling at once would make
# D-Bus activate a second, locked daemon.
set -eu
echo -n lpdesk-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null || {
	echo "start-keyring: gnome-keyring-daemon failed to start" >&2
	exit 1
}
i=0
until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
	org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q true; do
	i=$((i + 1))
	if [ $i -gt 100 ]; then
		echo "start-keyring: the Secret Service did not appear" >&2
		exit 1
	fi
	sleep 0.1
done
