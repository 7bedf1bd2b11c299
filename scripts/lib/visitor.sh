#!/bin/sh
# The visitor's side of scripts/gui-smoke.sh's chat, on the Server Chat API
# as its pages show it: unsigned, with the documentation's global app key.
#
# Usage: visitor.sh OUTDIR
#
# `lpdesk demo` seeds a waiting visitor and prints the chat's address on
# stderr (OUTDIR/app.err); the autopilot (LPDESK_TEST_AUTOPILOT=agent)
# accepts the chat, sends a line and prints "LPDESK_AGENT_SENT <key> …" on
# stdout (OUTDIR/app.out). This script then allows unsigned calls in the
# sandbox's console (HTTP Basic, as scripts do), checks that the visitor
# received the agent's line and answers it; the autopilot finishes once the
# answer is on screen. It exits quietly if the autopilot finished first (its
# own line says why).
set -eu
out=$1
appkey=721c180b09eb463d9f3191c41762bb68 # sandbox.DocsAppKey
agent_line="Hello from the lpdesk autopilot"
answer="Thanks, the visitor got your line"

i=0
until grep -q "^LPDESK_AGENT_SENT " "$out/app.out" 2>/dev/null; do
	if grep -q "^LPDESK_AUTOPILOT " "$out/app.out" 2>/dev/null; then
		exit 0
	fi
	i=$((i + 1))
	if [ "$i" -gt 900 ]; then
		echo "visitor: the agent sent no line" >&2
		exit 1
	fi
	sleep 0.2
done
key=$(sed -n 's/^LPDESK_AGENT_SENT \([^ ]*\) .*/\1/p' "$out/app.out" | head -n 1)
chat=$(sed -n "s/^demo: the same chat on the Server Chat API: //p" "$out/app.err" | head -n 1)
case $chat in
*/chat/"$key") ;;
*)
	echo "visitor: the agent took chat $key, not the demo's visitor ($chat)" >&2
	exit 1
	;;
esac
server=${chat%%/api/*}

curl -fsS -u admin:demo -H 'Accept: text/plain' --data unsigned=on "$server/console/settings" >/dev/null
auth="Authorization: LivePerson appKey=$appkey"
events=$(curl -fsS -H "$auth" -H 'Accept: application/json' "$chat/events?v=1")
case $events in
*"$agent_line"*) ;;
*)
	echo "visitor: the agent's line did not arrive: $events" >&2
	exit 1
	;;
esac
curl -fsS -H "$auth" -H 'Accept: application/json' -H 'Content-Type: application/json' \
	--data "{\"event\":{\"@type\":\"line\",\"text\":\"$answer\"}}" "$chat/events?v=1" >/dev/null
echo "visitor: received the agent's line in chat $key and answered"
