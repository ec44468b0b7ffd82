#!/bin/sh
# NetLabel (issue 17): netlabelctl's own traffic to the kernel's four generic netlink families,
# NLBL_MGMT, NLBL_CIPSOv4, NLBL_CALIPSO and NLBL_UNLBL (net/netlabel/, built into Debian's
# kernels): the management queries, CIPSO/IPv4 DOIs of the three mapping types (a
# pass-through one with three tags, a translated one with level and category maps, a local
# one), CALIPSO/IPv6 DOIs, LSM domain mappings with IPv4 and IPv6 address selectors, the
# unlabeled accept flag and static labels, then every deletion, and the kernel's refusals
# (a DOI that does not exist, one added twice, a default mapping that is already there).
# The VM boots with security=selinux and no policy loaded: SELinux then takes any context,
# and gives back its kernel SID's name.  Not in all.sh: recorded on 6.1 and 6.12 with
# tools/vm.py.  Writes $OUT/netlabel.pcap.
. "$(dirname "$0")/lib.sh"
capture_start netlabel
# NLBL_MGMT: the protocol version, the protocols this kernel has, the boot-time mapping
run netlabelctl -p mgmt version
run netlabelctl -p mgmt protocols
run netlabelctl -p map list
# NLBL_CIPSOv4: pass-through (tags 1, 2, 5), translated ('std', netlabelctl's old word for
# 'trans', with level and category maps), local
run netlabelctl cipsov4 add pass doi:16 tags:1,2,5
run netlabelctl cipsov4 add std doi:8 tags:1 levels:0=0,1=1 categories:0=0,1=1
run netlabelctl cipsov4 add local doi:4
run netlabelctl -p cipsov4 list
run netlabelctl -p cipsov4 list doi:8
run netlabelctl -p cipsov4 list doi:16
run netlabelctl -p cipsov4 list doi:4
run netlabelctl cipsov4 list doi:99
run netlabelctl cipsov4 add pass doi:16 tags:1
# NLBL_CALIPSO
run netlabelctl calipso add pass doi:32
run netlabelctl -p calipso list
run netlabelctl -p calipso list doi:32
run netlabelctl calipso list doi:99
# domain mappings: by domain, by domain and address (IPv4 with a CIPSO DOI, IPv6 with a
# CALIPSO one), unlabeled IPv6 only; the default, already there from boot, then replaced
run netlabelctl map add domain:foo protocol:cipsov4,16
run netlabelctl map add domain:bar address:10.8.1.0/24 protocol:cipsov4,8
run netlabelctl map add domain:baz address:2001:db8:5::/48 protocol:calipso,32
run netlabelctl map add domain:qux protocol:unlbl,6
run netlabelctl map add domain:nope protocol:cipsov4,99
run netlabelctl map add default address:10.9.0.0/16 protocol:unlbl
run netlabelctl map del default
run netlabelctl map add default address:10.9.0.0/16 protocol:unlbl
run netlabelctl -p map list
run netlabelctl map list
# NLBL_UNLBL: the accept flag, static labels on lo (IPv4, IPv6) and a default one
run netlabelctl unlbl accept on
run netlabelctl unlbl add interface:lo address:127.0.0.1 label:system_u:object_r:foo_t:s0
run netlabelctl unlbl add interface:lo address:::1/128 label:system_u:object_r:foo_t:s0
run netlabelctl unlbl add default address:10.7.0.0/16 label:system_u:object_r:bar_t:s0
run netlabelctl -p unlbl list
run netlabelctl unlbl list
run netlabelctl unlbl accept off
run netlabelctl -p unlbl list
run netlabelctl unlbl accept on
# every deletion, and what is not there
run netlabelctl unlbl del interface:lo address:127.0.0.1
run netlabelctl unlbl del interface:lo address:::1/128
run netlabelctl unlbl del default address:10.7.0.0/16
run netlabelctl unlbl del interface:lo address:127.0.0.1
run netlabelctl map del domain:foo
run netlabelctl map del domain:bar
run netlabelctl map del domain:baz
run netlabelctl map del domain:qux
run netlabelctl map del domain:nope
run netlabelctl map del default
run netlabelctl map add default protocol:unlbl
run netlabelctl cipsov4 del doi:16
run netlabelctl cipsov4 del doi:8
run netlabelctl cipsov4 del doi:4
run netlabelctl cipsov4 del doi:99
run netlabelctl calipso del doi:32
run netlabelctl calipso del doi:99
run netlabelctl -p cipsov4 list
run netlabelctl -p calipso list
run netlabelctl -p map list
capture_stop
