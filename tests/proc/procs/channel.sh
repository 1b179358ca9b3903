#!/bin/sh
# A proc speaking the channel protocol from the shell: it reports its own status, which wins over
# its exit code.
echo '{"t":"started"}' >&3
echo '{"t":"exited","status":{"code":1,"message":"from sh","data":[1,2]}}' >&3
exit 5
