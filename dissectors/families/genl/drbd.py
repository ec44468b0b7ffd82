"""drbd: DRBD 8.4, the kernel's block replication driver (drivers/block/drbd/drbd_nl.c), configured
by drbd-utils' drbdsetup (8.4's, /lib/drbd/drbdsetup-84) and heard by its `events`/`events2`.

The family is made by the macros of include/linux/genl_magic_struct.h and genl_magic_func.h from
include/linux/drbd_genl.h (none of them UAPI: the numbers are typed here, from that header, and
tests/dissectors/test_drbd.py checks every one against 6.1's and 6.12's, which are the same).
After genlmsghdr comes struct drbd_genlmsghdr (drbd_genl_api.h, the family's hdrsize):

    struct drbd_genlmsghdr { __u32 minor; union { __u32 flags; __s32 ret_code; }; };

a request's `flags` (DRBD_GENL_F_SET_DEFAULTS), the kernel's `ret_code` (enum drbd_ret_code,
NO_ERROR = 101, ERR_*; or, for role and state changes, enum drbd_state_rv, SS_*), minor ~0 where
a message is about a resource or a connection.  Then top-level attributes, each a nest holding one
GENL_struct's members (DRBD_NLA_CFG_CONTEXT: resource, volume, addresses; DISK_CONF, NET_CONF, …).

A member's nla_type carries DRBD_GENLA_F_MANDATORY (1 << 14) — the bit netlink calls
NLA_F_NET_BYTEORDER — when its GENL_struct field says so: T_name = nr | (flags & MANDATORY).
drbd_nla_check_mandatory() strips it before nla_parse_nested_deprecated() and refuses
(EOPNOTSUPP, the request fails with ERR_MANDATORY_TAG) a mandatory member it does not know.  So
here the bit is shown as a flag, never read as a byte order, and the member found without it.
drbdsetup sets it on every mandatory member; the kernel's own messages have it where they are
built with nla_put(T_…) (the CFG_CONTEXT of notifications, STATE_INFO of DRBD_EVENT and status
replies) and not where built by <struct>_to_skb(), which puts the bare number (NET_CONF, DISK_CONF,
RESOURCE_INFO, the statistics).  A reply's CFG_CONTEXT is the request's own, copied after
drbd_cfg_context_from_attrs() cleared the bit in place (drbd_adm_prepare): without it.

Lengths follow each struct's nla_policy, validated liberally (the family's ops are below
resv_start_op 42): NLA_U8 (every __flg_field), NLA_U32, NLA_U64 at least their width (more is
taken, the rest unread: shown unknown), NLA_NUL_STRING a NUL within maxlen bytes, NLA_BINARY at
most maxlen.  What the kernel refuses is malformed.  net_conf's shared_secret (DRBD_F_SENSITIVE:
left out of broadcasts and of what a reader without CAP_SYS_ADMIN gets) is a password: its length
only.

What the kernel does its own way (seen on 6.1.0-57 and 6.12, which send the same messages):
multicasts carry a sequence number of their own, notify_genl_seq for the notifications and
drbd_genl_seq for DRBD_EVENT (never 0); GET_INITIAL_STATE's dump parts are notifications built
for the requester — port id 0, the request's seq, no NLM_F_MULTI — and only its NLMSG_DONE is a
dump's; a GET_PEER_DEVICES part holds the volume number in drbd_genlmsghdr.minor; connect,
primary, detach and the like answer an enum drbd_state_rv (SS_SUCCESS 1, SS_NOTHING_TO_DO 2).
The 8.4 connection states are drbd_conns': drbdsetup-84's events2 and status print them in
DRBD 9's words (WFReportParams as Connected, Connected as Established).
"""
from __future__ import annotations

import struct

from construct import Int32sl, Int32ul

from ...core.attrs import (NLA_F_NESTED, NLA_TYPE_MASK, AttrSet, a, decode_one, malformed)
from ...core.header import NLMSG_HDRLEN
from ...core.info import info
from ...core.registry import GenlFamily, MessageType, kind_from_name, register_genl_family
from ...core.schema import FixedStruct, flags_show, member
from ...model import BOOL, BYTES, FIELDS, MALFORMED, UINT, UNKNOWN, Node
from .cenum import Header
from .protocol import GENL_HDRLEN

# --- include/linux/drbd.h ------------------------------------------------------------------------
H = Header("include/linux/drbd.h")
H.enum("drbd_io_error_p", "EP_PASS_ON EP_CALL_HELPER EP_DETACH")
H.enum("drbd_fencing_p", "FP_NOT_AVAIL=-1 FP_DONT_CARE=0 FP_RESOURCE FP_STONITH")
H.enum("drbd_disconnect_p", "DP_RECONNECT DP_DROP_NET_CONF DP_FREEZE_IO")
H.enum("drbd_after_sb_p", "ASB_DISCONNECT ASB_DISCARD_YOUNGER_PRI ASB_DISCARD_OLDER_PRI ASB_DISCARD_ZERO_CHG "
       "ASB_DISCARD_LEAST_CHG ASB_DISCARD_LOCAL ASB_DISCARD_REMOTE ASB_CONSENSUS ASB_DISCARD_SECONDARY "
       "ASB_CALL_HELPER ASB_VIOLENTLY")
H.enum("drbd_on_no_data", "OND_IO_ERROR OND_SUSPEND_IO")
H.enum("drbd_on_congestion", "OC_BLOCK OC_PULL_AHEAD OC_DISCONNECT")
H.enum("drbd_read_balancing", "RB_PREFER_LOCAL RB_PREFER_REMOTE RB_ROUND_ROBIN RB_LEAST_PENDING "
       "RB_CONGESTED_REMOTE RB_32K_STRIPING RB_64K_STRIPING RB_128K_STRIPING RB_256K_STRIPING "
       "RB_512K_STRIPING RB_1M_STRIPING")
H.enum("drbd_ret_code", "ERR_CODE_BASE=100 NO_ERROR ERR_LOCAL_ADDR ERR_PEER_ADDR ERR_OPEN_DISK ERR_OPEN_MD_DISK "
       "ERR_DISK_NOT_BDEV=107 ERR_MD_NOT_BDEV ERR_DISK_TOO_SMALL=111 ERR_MD_DISK_TOO_SMALL ERR_BDCLAIM_DISK=114 "
       "ERR_BDCLAIM_MD_DISK ERR_MD_IDX_INVALID ERR_IO_MD_DISK=118 ERR_MD_INVALID ERR_AUTH_ALG ERR_AUTH_ALG_ND "
       "ERR_NOMEM ERR_DISCARD_IMPOSSIBLE ERR_DISK_CONFIGURED ERR_NET_CONFIGURED ERR_MANDATORY_TAG "
       "ERR_MINOR_INVALID ERR_INTR=129 ERR_RESIZE_RESYNC ERR_NO_PRIMARY ERR_RESYNC_AFTER ERR_RESYNC_AFTER_CYCLE "
       "ERR_PAUSE_IS_SET ERR_PAUSE_IS_CLEAR ERR_PACKET_NR=137 ERR_NO_DISK ERR_NOT_PROTO_C ERR_NOMEM_BITMAP "
       "ERR_INTEGRITY_ALG ERR_INTEGRITY_ALG_ND ERR_CPU_MASK_PARSE ERR_CSUMS_ALG ERR_CSUMS_ALG_ND ERR_VERIFY_ALG "
       "ERR_VERIFY_ALG_ND ERR_CSUMS_RESYNC_RUNNING ERR_VERIFY_RUNNING ERR_DATA_NOT_CURRENT ERR_CONNECTED "
       "ERR_PERM ERR_NEED_APV_93 ERR_STONITH_AND_PROT_A ERR_CONG_NOT_PROTO_A ERR_PIC_AFTER_DEP ERR_PIC_PEER_DEP "
       "ERR_RES_NOT_KNOWN ERR_RES_IN_USE ERR_MINOR_CONFIGURED ERR_MINOR_OR_VOLUME_EXISTS ERR_INVALID_REQUEST "
       "ERR_NEED_APV_100 ERR_NEED_ALLOW_TWO_PRI ERR_MD_UNCLEAN ERR_MD_LAYOUT_CONNECTED ERR_MD_LAYOUT_TOO_BIG "
       "ERR_MD_LAYOUT_TOO_SMALL ERR_MD_LAYOUT_NO_FIT ERR_IMPLICIT_SHRINK AFTER_LAST_ERR_CODE")
H.enum("drbd_role", "R_UNKNOWN R_PRIMARY R_SECONDARY R_MASK")
H.enum("drbd_conns", "C_STANDALONE C_DISCONNECTING C_UNCONNECTED C_TIMEOUT C_BROKEN_PIPE C_NETWORK_FAILURE "
       "C_PROTOCOL_ERROR C_TEAR_DOWN C_WF_CONNECTION C_WF_REPORT_PARAMS C_CONNECTED C_STARTING_SYNC_S "
       "C_STARTING_SYNC_T C_WF_BITMAP_S C_WF_BITMAP_T C_WF_SYNC_UUID C_SYNC_SOURCE C_SYNC_TARGET C_VERIFY_S "
       "C_VERIFY_T C_PAUSED_SYNC_S C_PAUSED_SYNC_T C_AHEAD C_BEHIND C_MASK=31")
H.enum("drbd_disk_state", "D_DISKLESS D_ATTACHING D_FAILED D_NEGOTIATING D_INCONSISTENT D_OUTDATED D_UNKNOWN "
       "D_CONSISTENT D_UP_TO_DATE D_MASK=15")
H.enum("drbd_state_rv", "SS_CW_NO_NEED=4 SS_CW_SUCCESS=3 SS_NOTHING_TO_DO=2 SS_SUCCESS=1 SS_UNKNOWN_ERROR=0 "
       "SS_TWO_PRIMARIES=-1 SS_NO_UP_TO_DATE_DISK=-2 SS_NO_LOCAL_DISK=-4 SS_NO_REMOTE_DISK=-5 "
       "SS_CONNECTED_OUTDATES=-6 SS_PRIMARY_NOP=-7 SS_RESYNC_RUNNING=-8 SS_ALREADY_STANDALONE=-9 "
       "SS_CW_FAILED_BY_PEER=-10 SS_IS_DISKLESS=-11 SS_DEVICE_IN_USE=-12 SS_NO_NET_CONFIG=-13 "
       "SS_NO_VERIFY_ALG=-14 SS_NEED_CONNECTION=-15 SS_LOWER_THAN_OUTDATED=-16 SS_NOT_SUPPORTED=-17 "
       "SS_IN_TRANSIENT_STATE=-18 SS_CONCURRENT_ST_CHG=-19 SS_O_VOL_PEER_PRI=-20 SS_OUTDATE_WO_CONN=-21 "
       "SS_AFTER_LAST_ERROR=-22")
H.enum("drbd_uuid_index", "UI_CURRENT UI_BITMAP UI_HISTORY_START UI_HISTORY_END UI_SIZE UI_FLAGS UI_EXTENDED_SIZE")
H.enum("drbd_timeout_flag", "UT_DEFAULT UT_DEGRADED UT_PEER_OUTDATED")
H.enum("drbd_notification_type", "NOTIFY_EXISTS NOTIFY_CREATE NOTIFY_CHANGE NOTIFY_DESTROY NOTIFY_CALL "
       "NOTIFY_RESPONSE NOTIFY_CONTINUES=0x8000 NOTIFY_FLAGS=0x8000")
H.enum("drbd_peer_state", "P_INCONSISTENT=3 P_OUTDATED P_DOWN P_PRIMARY P_FENCING")
H.enum("write_ordering_e", "WO_NONE WO_DRAIN_IO WO_BDEV_FLUSH WO_BIO_BARRIER")
H.define(DRBD_PROT_A=1, DRBD_PROT_B=2, DRBD_PROT_C=3, SHARED_SECRET_MAX=64, MAX_PEERS=32, HISTORY_UUIDS=32,
         DRBD_MD_INDEX_INTERNAL=-1, DRBD_MD_INDEX_FLEX_EXT=-2, DRBD_MD_INDEX_FLEX_INT=-3, DRBD_CPU_MASK_SIZE=32)
H.define(**{f"MDF_{n}": 1 << i for i, n in enumerate(
    "CONSISTENT PRIMARY_IND CONNECTED_IND FULL_SYNC WAS_UP_TO_DATE PEER_OUT_DATED CRASHED_PRIMARY AL_CLEAN "
    "AL_DISABLED".split())})

# --- include/linux/drbd_genl_api.h ---------------------------------------------------------------
API = Header("include/linux/drbd_genl_api.h")
API.enum("DRBD_GENL_F_SET_DEFAULTS", "DRBD_GENL_F_SET_DEFAULTS=1")
API.enum("drbd_state_info_bcast_reason", "SIB_GET_STATUS_REPLY=1 SIB_STATE_CHANGE SIB_HELPER_PRE SIB_HELPER_POST "
         "SIB_SYNC_PROGRESS")
# drivers/block/drbd/drbd_nl.c: the bits of peer_device_statistics' peer_dev_flags
NL_C = Header("drivers/block/drbd/drbd_nl.c")
NL_C.enum("mdf_peer_flag", "MDF_PEER_CONNECTED=1 MDF_PEER_OUTDATED=2 MDF_PEER_FENCING=4 MDF_PEER_FULL_SYNC=8")

# --- include/linux/genl_magic_struct.h -----------------------------------------------------------
MANDATORY = 1 << 14      # DRBD_GENLA_F_MANDATORY
F_REQUIRED, F_SENSITIVE, F_INVARIANT = 1 << 0, 1 << 1, 1 << 2   # DRBD_F_*: not on the wire
M, R, S, I = MANDATORY, F_REQUIRED, F_SENSITIVE, F_INVARIANT
# what each __<kind>_field is: (nla_policy type, the width an integer needs)
KINDS = {"flg": ("NLA_U8", 1), "u32": ("NLA_U32", 4), "s32": ("NLA_U32", 4), "u64": ("NLA_U64", 8),
         "str": ("NLA_NUL_STRING", 0), "bin": ("NLA_BINARY", 0)}
UI_SIZE_BYTES = H.UI_SIZE * 8     # state_info.uuids: UI_SIZE * sizeof(__u64)

# --- include/linux/drbd_genl.h -------------------------------------------------------------------
# GENL_struct(tag, number, struct, fields), each field (nr, flags, kind, name[, maxlen]) as the
# header writes __<kind>_field[_def](nr, flags, name[, maxlen][, default])
STRUCTS = (
    ("DRBD_NLA_CFG_REPLY", 1, "drbd_cfg_reply", (
        (1, M, "str", "info_text", 0),)),
    ("DRBD_NLA_CFG_CONTEXT", 2, "drbd_cfg_context", (
        (1, M, "u32", "ctx_volume"), (2, M, "str", "ctx_resource_name", 128),
        (3, M, "bin", "ctx_my_addr", 128), (4, M, "bin", "ctx_peer_addr", 128))),
    ("DRBD_NLA_DISK_CONF", 3, "disk_conf", (
        (1, R | I, "str", "backing_dev", 128), (2, R | I, "str", "meta_dev", 128), (3, R | I, "s32", "meta_dev_idx"),
        (4, M | I, "u64", "disk_size"), (5, M | I, "u32", "max_bio_bvecs"), (6, M, "u32", "on_io_error"),
        (7, M, "u32", "fencing"), (8, M, "u32", "resync_rate"), (9, M, "s32", "resync_after"),
        (10, M, "u32", "al_extents"), (11, M, "u32", "c_plan_ahead"), (12, M, "u32", "c_delay_target"),
        (13, M, "u32", "c_fill_target"), (14, M, "u32", "c_max_rate"), (15, M, "u32", "c_min_rate"),
        (20, M, "u32", "disk_timeout"), (21, 0, "u32", "read_balancing"), (25, 0, "u32", "rs_discard_granularity"),
        (16, M, "flg", "disk_barrier"), (17, M, "flg", "disk_flushes"), (18, M, "flg", "disk_drain"),
        (19, M, "flg", "md_flushes"), (23, 0, "flg", "al_updates"), (24, 0, "flg", "discard_zeroes_if_aligned"),
        (26, 0, "flg", "disable_write_same"))),
    ("DRBD_NLA_RESOURCE_OPTS", 4, "res_opts", (
        (1, M, "str", "cpu_mask", H.DRBD_CPU_MASK_SIZE), (2, M, "u32", "on_no_data"))),
    ("DRBD_NLA_NET_CONF", 5, "net_conf", (
        (1, M | S, "str", "shared_secret", H.SHARED_SECRET_MAX),
        (2, M, "str", "cram_hmac_alg", H.SHARED_SECRET_MAX), (3, M, "str", "integrity_alg", H.SHARED_SECRET_MAX),
        (4, M, "str", "verify_alg", H.SHARED_SECRET_MAX), (5, M, "str", "csums_alg", H.SHARED_SECRET_MAX),
        (6, M, "u32", "wire_protocol"), (7, M, "u32", "connect_int"), (8, M, "u32", "timeout"),
        (9, M, "u32", "ping_int"), (10, M, "u32", "ping_timeo"), (11, M, "u32", "sndbuf_size"),
        (12, M, "u32", "rcvbuf_size"), (13, M, "u32", "ko_count"), (14, M, "u32", "max_buffers"),
        (15, M, "u32", "max_epoch_size"), (16, M, "u32", "unplug_watermark"), (17, M, "u32", "after_sb_0p"),
        (18, M, "u32", "after_sb_1p"), (19, M, "u32", "after_sb_2p"), (20, M, "u32", "rr_conflict"),
        (21, M, "u32", "on_congestion"), (22, M, "u32", "cong_fill"), (23, M, "u32", "cong_extents"),
        (24, M, "flg", "two_primaries"), (25, M | I, "flg", "discard_my_data"), (26, M, "flg", "tcp_cork"),
        (27, M, "flg", "always_asbp"), (28, M | I, "flg", "tentative"), (29, M, "flg", "use_rle"),
        (33, 0, "flg", "csums_after_crash_only"), (34, 0, "u32", "sock_check_timeo"))),
    ("DRBD_NLA_SET_ROLE_PARMS", 6, "set_role_parms", (
        (1, M, "flg", "assume_uptodate"),)),
    ("DRBD_NLA_RESIZE_PARMS", 7, "resize_parms", (
        (1, M, "u64", "resize_size"), (2, M, "flg", "resize_force"), (3, M, "flg", "no_resync"),
        (4, 0, "u32", "al_stripes"), (5, 0, "u32", "al_stripe_size"))),
    ("DRBD_NLA_STATE_INFO", 8, "state_info", (
        (1, M, "u32", "sib_reason"), (2, R, "u32", "current_state"), (3, M, "u64", "capacity"),
        (4, M, "u64", "ed_uuid"), (5, M, "u32", "prev_state"), (6, M, "u32", "new_state"),
        (7, M, "bin", "uuids", UI_SIZE_BYTES), (8, M, "u32", "disk_flags"), (9, M, "u64", "bits_total"),
        (10, M, "u64", "bits_oos"), (11, M, "u64", "bits_rs_total"), (12, M, "u64", "bits_rs_failed"),
        (13, M, "str", "helper", 32), (14, M, "u32", "helper_exit_code"), (15, 0, "u64", "send_cnt"),
        (16, 0, "u64", "recv_cnt"), (17, 0, "u64", "read_cnt"), (18, 0, "u64", "writ_cnt"),
        (19, 0, "u64", "al_writ_cnt"), (20, 0, "u64", "bm_writ_cnt"), (21, 0, "u32", "ap_bio_cnt"),
        (22, 0, "u32", "ap_pending_cnt"), (23, 0, "u32", "rs_pending_cnt"))),
    ("DRBD_NLA_START_OV_PARMS", 9, "start_ov_parms", (
        (1, M, "u64", "ov_start_sector"), (2, M, "u64", "ov_stop_sector"))),
    ("DRBD_NLA_NEW_C_UUID_PARMS", 10, "new_c_uuid_parms", (
        (1, M, "flg", "clear_bm"),)),
    ("DRBD_NLA_TIMEOUT_PARMS", 11, "timeout_parms", (
        (1, R, "u32", "timeout_type"),)),
    ("DRBD_NLA_DISCONNECT_PARMS", 12, "disconnect_parms", (
        (1, M, "flg", "force_disconnect"),)),
    ("DRBD_NLA_DETACH_PARMS", 13, "detach_parms", (
        (1, M, "flg", "force_detach"),)),
    ("DRBD_NLA_RESOURCE_INFO", 15, "resource_info", (
        (1, 0, "u32", "res_role"), (2, 0, "flg", "res_susp"), (3, 0, "flg", "res_susp_nod"),
        (4, 0, "flg", "res_susp_fen"))),
    ("DRBD_NLA_DEVICE_INFO", 16, "device_info", (
        (1, 0, "u32", "dev_disk_state"),)),
    ("DRBD_NLA_CONNECTION_INFO", 17, "connection_info", (
        (1, 0, "u32", "conn_connection_state"), (2, 0, "u32", "conn_role"))),
    ("DRBD_NLA_PEER_DEVICE_INFO", 18, "peer_device_info", (
        (1, 0, "u32", "peer_repl_state"), (2, 0, "u32", "peer_disk_state"), (3, 0, "u32", "peer_resync_susp_user"),
        (4, 0, "u32", "peer_resync_susp_peer"), (5, 0, "u32", "peer_resync_susp_dependency"))),
    ("DRBD_NLA_RESOURCE_STATISTICS", 19, "resource_statistics", (
        (1, 0, "u32", "res_stat_write_ordering"),)),
    ("DRBD_NLA_DEVICE_STATISTICS", 20, "device_statistics", (
        (1, 0, "u64", "dev_size"), (2, 0, "u64", "dev_read"), (3, 0, "u64", "dev_write"),
        (4, 0, "u64", "dev_al_writes"), (5, 0, "u64", "dev_bm_writes"), (6, 0, "u32", "dev_upper_pending"),
        (7, 0, "u32", "dev_lower_pending"), (8, 0, "flg", "dev_upper_blocked"), (9, 0, "flg", "dev_lower_blocked"),
        (10, 0, "flg", "dev_al_suspended"), (11, 0, "u64", "dev_exposed_data_uuid"),
        (12, 0, "u64", "dev_current_uuid"), (13, 0, "u32", "dev_disk_flags"),
        (14, 0, "bin", "history_uuids", H.HISTORY_UUIDS * 8))),
    ("DRBD_NLA_CONNECTION_STATISTICS", 21, "connection_statistics", (
        (1, 0, "flg", "conn_congested"),)),
    ("DRBD_NLA_PEER_DEVICE_STATISTICS", 22, "peer_device_statistics", (
        (1, 0, "u64", "peer_dev_received"), (2, 0, "u64", "peer_dev_sent"), (3, 0, "u32", "peer_dev_pending"),
        (4, 0, "u32", "peer_dev_unacked"), (5, 0, "u64", "peer_dev_out_of_sync"),
        (6, 0, "u64", "peer_dev_resync_failed"), (7, 0, "u64", "peer_dev_bitmap_uuid"),
        (9, 0, "u32", "peer_dev_flags"))),
    ("DRBD_NLA_NOTIFICATION_HEADER", 23, "drbd_notification_header", (
        (1, M, "u32", "nh_type"),)),
    ("DRBD_NLA_HELPER", 24, "drbd_helper_info", (
        (1, M, "str", "helper_name", 32), (2, M, "u32", "helper_status"))),
)

# GENL_op(name, number, handler, tla list) and GENL_notification(name, number, events, tla list):
# (name, number, "doit"/"dumpit"/"doit+dumpit" or "events" for a notification, what the header lists
# as expected: (top-level attribute, DRBD_F_REQUIRED or DRBD_GENLA_F_MANDATORY)).  The lists name
# DRBD_NLA_SYNCER_CONF and DRBD_NLA_DISK_OPTS, which no GENL_struct defines: GENL_tla_expected is
# documentation, and the family's one top-level policy takes every attribute on every command.
_CTX_R, _CTX_M = ("DRBD_NLA_CFG_CONTEXT", R), ("DRBD_NLA_CFG_CONTEXT", M)
OPS = (
    ("DRBD_EVENT", 1, "events", (_CTX_R, ("DRBD_NLA_STATE_INFO", R), ("DRBD_NLA_NET_CONF", M),
                                 ("DRBD_NLA_DISK_CONF", M), ("DRBD_NLA_SYNCER_CONF", M))),
    ("DRBD_ADM_GET_STATUS", 2, "doit+dumpit", (_CTX_M,)),
    ("DRBD_ADM_NEW_MINOR", 5, "doit", (_CTX_R,)),
    ("DRBD_ADM_DEL_MINOR", 6, "doit", (_CTX_R,)),
    ("DRBD_ADM_NEW_RESOURCE", 7, "doit", (_CTX_R,)),
    ("DRBD_ADM_DEL_RESOURCE", 8, "doit", (_CTX_R,)),
    ("DRBD_ADM_RESOURCE_OPTS", 9, "doit", (_CTX_R, ("DRBD_NLA_RESOURCE_OPTS", M))),
    ("DRBD_ADM_CONNECT", 10, "doit", (_CTX_R, ("DRBD_NLA_NET_CONF", R))),
    ("DRBD_ADM_CHG_NET_OPTS", 29, "doit", (_CTX_R, ("DRBD_NLA_NET_CONF", R))),
    ("DRBD_ADM_DISCONNECT", 11, "doit", (_CTX_R,)),
    ("DRBD_ADM_ATTACH", 12, "doit", (_CTX_R, ("DRBD_NLA_DISK_CONF", R))),
    ("DRBD_ADM_CHG_DISK_OPTS", 28, "doit", (_CTX_R, ("DRBD_NLA_DISK_OPTS", R))),
    ("DRBD_ADM_RESIZE", 13, "doit", (_CTX_R, ("DRBD_NLA_RESIZE_PARMS", M))),
    ("DRBD_ADM_PRIMARY", 14, "doit", (_CTX_R, ("DRBD_NLA_SET_ROLE_PARMS", R))),
    ("DRBD_ADM_SECONDARY", 15, "doit", (_CTX_R, ("DRBD_NLA_SET_ROLE_PARMS", R))),
    ("DRBD_ADM_NEW_C_UUID", 16, "doit", (_CTX_R, ("DRBD_NLA_NEW_C_UUID_PARMS", M))),
    ("DRBD_ADM_START_OV", 17, "doit", (("DRBD_NLA_START_OV_PARMS", M),)),
    ("DRBD_ADM_DETACH", 18, "doit", (_CTX_R, ("DRBD_NLA_DETACH_PARMS", M))),
    ("DRBD_ADM_INVALIDATE", 19, "doit", (_CTX_R,)),
    ("DRBD_ADM_INVAL_PEER", 20, "doit", (_CTX_R,)),
    ("DRBD_ADM_PAUSE_SYNC", 21, "doit", (_CTX_R,)),
    ("DRBD_ADM_RESUME_SYNC", 22, "doit", (_CTX_R,)),
    ("DRBD_ADM_SUSPEND_IO", 23, "doit", (_CTX_R,)),
    ("DRBD_ADM_RESUME_IO", 24, "doit", (_CTX_R,)),
    ("DRBD_ADM_OUTDATE", 25, "doit", (_CTX_R,)),
    ("DRBD_ADM_GET_TIMEOUT_TYPE", 26, "doit", (_CTX_R,)),
    ("DRBD_ADM_DOWN", 27, "doit", (_CTX_R,)),
    ("DRBD_ADM_GET_RESOURCES", 30, "dumpit", (_CTX_M, ("DRBD_NLA_RESOURCE_INFO", M),
                                              ("DRBD_NLA_RESOURCE_STATISTICS", M))),
    ("DRBD_ADM_GET_DEVICES", 31, "dumpit", (_CTX_M, ("DRBD_NLA_DEVICE_INFO", M), ("DRBD_NLA_DEVICE_STATISTICS", M))),
    ("DRBD_ADM_GET_CONNECTIONS", 32, "dumpit", (_CTX_M, ("DRBD_NLA_CONNECTION_INFO", M),
                                                ("DRBD_NLA_CONNECTION_STATISTICS", M))),
    ("DRBD_ADM_GET_PEER_DEVICES", 33, "dumpit", (_CTX_M, ("DRBD_NLA_PEER_DEVICE_INFO", M),
                                                 ("DRBD_NLA_PEER_DEVICE_STATISTICS", M))),
    ("DRBD_RESOURCE_STATE", 34, "events", (_CTX_R, ("DRBD_NLA_NOTIFICATION_HEADER", R),
                                           ("DRBD_NLA_RESOURCE_INFO", R), ("DRBD_NLA_RESOURCE_STATISTICS", R))),
    ("DRBD_DEVICE_STATE", 35, "events", (_CTX_R, ("DRBD_NLA_NOTIFICATION_HEADER", R),
                                         ("DRBD_NLA_DEVICE_INFO", R), ("DRBD_NLA_DEVICE_STATISTICS", R))),
    ("DRBD_CONNECTION_STATE", 36, "events", (_CTX_R, ("DRBD_NLA_NOTIFICATION_HEADER", R),
                                             ("DRBD_NLA_CONNECTION_INFO", R), ("DRBD_NLA_CONNECTION_STATISTICS", R))),
    ("DRBD_PEER_DEVICE_STATE", 37, "events", (_CTX_R, ("DRBD_NLA_NOTIFICATION_HEADER", R),
                                              ("DRBD_NLA_PEER_DEVICE_INFO", R),
                                              ("DRBD_NLA_PEER_DEVICE_STATISTICS", R))),
    ("DRBD_ADM_GET_INITIAL_STATE", 38, "dumpit", (_CTX_M,)),
    ("DRBD_HELPER", 40, "events", (_CTX_R, ("DRBD_NLA_HELPER", R))),
    ("DRBD_INITIAL_STATE_DONE", 41, "events", (("DRBD_NLA_NOTIFICATION_HEADER", R),)),
)
MCAST_GROUPS = ("events",)   # GENL_mc_group(events)

# --- how values show -------------------------------------------------------------------------------
# drivers/block/drbd/drbd_strings.c: the words drbdsetup prints
CONN_WORDS = ("StandAlone Disconnecting Unconnected Timeout BrokenPipe NetworkFailure ProtocolError TearDown "
              "WFConnection WFReportParams Connected StartingSyncS StartingSyncT WFBitMapS WFBitMapT WFSyncUUID "
              "SyncSource SyncTarget VerifyS VerifyT PausedSyncS PausedSyncT Ahead Behind").split()
ROLE_WORDS = ("Unknown", "Primary", "Secondary")
DISK_WORDS = "Diskless Attaching Failed Negotiating Inconsistent Outdated DUnknown Consistent UpToDate".split()
# drbd_strings.c drbd_state_sw_errors[]: what a refused state change says
STATE_ERRORS = {
    -1: "Multiple primaries not allowed by config", -2: "Need access to UpToDate data",
    -4: "Can not resync without local disk", -5: "Can not resync without remote disk",
    -6: "Refusing to be Outdated while Connected", -7: "Refusing to be Primary while peer is not outdated",
    -8: "Can not start OV/resync since it is already active", -9: "Can not disconnect a StandAlone device",
    -10: "State change was refused by peer node",
    -11: "Device is diskless, the requested operation requires a disk", -12: "Device is held open by someone",
    -13: "Have no net/connection configuration", -14: "Need a verify algorithm to start online verify",
    -15: "Need a connection to start verify or resync", -17: "Peer does not support protocol",
    -16: "Disk state is lower than outdated", -18: "In transient state, retry after next state change",
    -19: "Concurrent state changes detected and aborted",
    -21: "Need a connection for a graceful disconnect/outdate peer",
    -20: "Other vol primary on peer not allowed by config"}


def _enum(header: Header, tag: str, skip=()) -> dict[int, str]:
    """value -> name of an enum's members (the first name of a value; `skip`: bookkeeping)."""
    out: dict[int, str] = {}
    for name in header.ENUMS[tag]:
        if name not in skip:
            out.setdefault(getattr(header, name), name)
    return out


def _words(words, names: dict[int, str]):
    """`Connected (10)`: the word drbdsetup prints, else the enum's name, else the number."""
    def show(v):
        w = words[v] if 0 <= v < len(words) else names.get(v)
        return f"{w} ({v})" if w else f"{v} (unknown value)"
    return show


RET_CODES = _enum(H, "drbd_ret_code", ("AFTER_LAST_ERR_CODE",)) | _enum(H, "drbd_state_rv", ("SS_AFTER_LAST_ERROR",))
ROLES = _enum(H, "drbd_role", ("R_MASK",))
CONNS = _enum(H, "drbd_conns", ("C_MASK",))
DISKS = _enum(H, "drbd_disk_state", ("D_MASK",))
NOTIFY = _enum(H, "drbd_notification_type", ("NOTIFY_CONTINUES", "NOTIFY_FLAGS"))
SIB = _enum(API, "drbd_state_info_bcast_reason")
TIMEOUTS = _enum(H, "drbd_timeout_flag")
MD_INDEX = {H.DRBD_MD_INDEX_INTERNAL: "DRBD_MD_INDEX_INTERNAL", H.DRBD_MD_INDEX_FLEX_EXT: "DRBD_MD_INDEX_FLEX_EXT",
            H.DRBD_MD_INDEX_FLEX_INT: "DRBD_MD_INDEX_FLEX_INT"}
PROTOCOLS = {H.DRBD_PROT_A: "DRBD_PROT_A (A)", H.DRBD_PROT_B: "DRBD_PROT_B (B)", H.DRBD_PROT_C: "DRBD_PROT_C (C)"}
MDF = {v: n for n, v in H.names().items() if n.startswith("MDF_")}
PEER_MDF = {v: n for n, v in NL_C.names().items()}
show_role, show_conn, show_disk = _words(ROLE_WORDS, ROLES), _words(CONN_WORDS, CONNS), _words(DISK_WORDS, DISKS)


def show_ret_code(v: int) -> str:
    """`NO_ERROR (101)`, `SS_TWO_PRIMARIES (-1): Multiple primaries not allowed by config`."""
    name = RET_CODES.get(v)
    if name is None:
        return f"{v} (unknown value)"
    return f"{name} ({v})" + (f": {STATE_ERRORS[v]}" if v in STATE_ERRORS else "")


def show_notify(v: int) -> str:
    """`NOTIFY_CHANGE (2)`, `NOTIFY_EXISTS|NOTIFY_CONTINUES (0x8000)`: the type, and whether more follow."""
    name = NOTIFY.get(v & ~H.NOTIFY_CONTINUES, str(v & ~H.NOTIFY_CONTINUES))
    if v & H.NOTIFY_CONTINUES:
        return f"{name}|NOTIFY_CONTINUES ({v:#x})"
    return f"{name} ({v})"


def _named(names: dict[int, str]):
    def show(v):
        n = names.get(v)
        return f"{n} ({v})" if n else f"{v} (unknown value)"
    return show


def _yes_no(v: int) -> str:
    return f"yes ({v})" if v else "no (0)"


def _uuid(v: int) -> str:
    return f"{v:016X}"


def _wait_status(v: int) -> str:
    """A usermode helper's wait status (call_usermodehelper), or a negative errno in a u32."""
    if v >= 0x80000000:
        return f"{v} (error -{(1 << 32) - v})"
    return f"{v} (exit code {(v >> 8) & 0xFF})" if v & 0xFF == 0 else f"{v} (signal {v & 0x7F})"


# state_info's current_state, prev_state, new_state: union drbd_state, a u32 of bit fields (the
# same bits on either endianness: drbd.h declares them in reverse order for big-endian ones)
STATE_BITS = (("role", 0, 2, show_role), ("peer", 2, 2, show_role), ("conn", 4, 5, show_conn),
              ("disk", 9, 4, show_disk), ("pdsk", 13, 4, show_disk), ("susp", 17, 1, None),
              ("aftr_isp", 18, 1, None), ("peer_isp", 19, 1, None), ("user_isp", 20, 1, None),
              ("susp_nod", 21, 1, None), ("susp_fen", 22, 1, None), ("_pad", 23, 9, None))


def state_parts(v: int) -> dict[str, int]:
    return {name: (v >> shift) & ((1 << width) - 1) for name, shift, width, _ in STATE_BITS}


def _word(words, v: int) -> str:
    return words[v] if 0 <= v < len(words) else str(v)


def show_state(v: int) -> str:
    """As /proc/drbd: `cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate` and the suspensions."""
    p = state_parts(v)
    flags = [n for n in ("susp", "aftr_isp", "peer_isp", "user_isp", "susp_nod", "susp_fen") if p[n]]
    return (f"{v:#010x} cs:{_word(CONN_WORDS, p['conn'])} ro:{_word(ROLE_WORDS, p['role'])}/"
            f"{_word(ROLE_WORDS, p['peer'])} ds:{_word(DISK_WORDS, p['disk'])}/{_word(DISK_WORDS, p['pdsk'])}"
            + (" " + ",".join(flags) if flags else ""))


# member name -> how its value shows (an Attr keyword: enum, show, unit, flags, hint)
SHOWS = {
    "meta_dev_idx": {"show": lambda v: MD_INDEX.get(v, str(v)) + (f" ({v})" if v in MD_INDEX else "")},
    "disk_size": {"unit": "sectors"}, "on_io_error": {"show": _named(_enum(H, "drbd_io_error_p"))},
    "fencing": {"show": _named(_enum(H, "drbd_fencing_p"))}, "resync_rate": {"unit": "KiB/s"},
    "c_plan_ahead": {"unit": "× 0.1 s"}, "c_delay_target": {"unit": "× 0.1 s"}, "c_fill_target": {"unit": "sectors"},
    "c_max_rate": {"unit": "KiB/s"}, "c_min_rate": {"unit": "KiB/s"}, "disk_timeout": {"unit": "× 0.1 s"},
    "read_balancing": {"show": _named(_enum(H, "drbd_read_balancing"))},
    "rs_discard_granularity": {"unit": "bytes"}, "on_no_data": {"show": _named(_enum(H, "drbd_on_no_data"))},
    "shared_secret": {"hint": "password"},   # a password: its length only (core/secrets.py)
    "wire_protocol": {"show": _named(PROTOCOLS)}, "connect_int": {"unit": "s"}, "timeout": {"unit": "× 0.1 s"},
    "ping_int": {"unit": "s"}, "ping_timeo": {"unit": "× 0.1 s"}, "sndbuf_size": {"unit": "bytes"},
    "rcvbuf_size": {"unit": "bytes"}, "after_sb_0p": {"show": _named(_enum(H, "drbd_after_sb_p"))},
    "after_sb_1p": {"show": _named(_enum(H, "drbd_after_sb_p"))},
    "after_sb_2p": {"show": _named(_enum(H, "drbd_after_sb_p"))},
    "rr_conflict": {"show": _named(_enum(H, "drbd_after_sb_p"))},
    "on_congestion": {"show": _named(_enum(H, "drbd_on_congestion"))}, "cong_fill": {"unit": "sectors"},
    "sock_check_timeo": {"unit": "× 0.1 s"}, "resize_size": {"unit": "sectors"}, "al_stripe_size": {"unit": "KiB"},
    "sib_reason": {"show": _named(SIB)}, "current_state": {"show": show_state}, "prev_state": {"show": show_state},
    "new_state": {"show": show_state}, "capacity": {"unit": "sectors"}, "ed_uuid": {"show": _uuid},
    "disk_flags": {"flags": MDF}, "helper_exit_code": {"show": _wait_status},
    "send_cnt": {"unit": "sectors"}, "recv_cnt": {"unit": "sectors"}, "read_cnt": {"unit": "sectors"},
    "writ_cnt": {"unit": "sectors"}, "ov_start_sector": {"unit": "sectors"}, "ov_stop_sector": {"unit": "sectors"},
    "timeout_type": {"show": _named(TIMEOUTS)}, "res_role": {"show": show_role},
    "dev_disk_state": {"show": show_disk}, "conn_connection_state": {"show": show_conn},
    "conn_role": {"show": show_role}, "peer_repl_state": {"show": show_conn}, "peer_disk_state": {"show": show_disk},
    "peer_resync_susp_user": {"show": _yes_no}, "peer_resync_susp_peer": {"show": _yes_no},
    "peer_resync_susp_dependency": {"show": _yes_no},
    "res_stat_write_ordering": {"show": _named(_enum(H, "write_ordering_e"))},
    "dev_size": {"unit": "sectors"}, "dev_read": {"unit": "sectors"}, "dev_write": {"unit": "sectors"},
    "dev_exposed_data_uuid": {"show": _uuid}, "dev_current_uuid": {"show": _uuid}, "dev_disk_flags": {"flags": MDF},
    "peer_dev_received": {"unit": "sectors"}, "peer_dev_sent": {"unit": "sectors"},
    "peer_dev_out_of_sync": {"unit": "sectors"}, "peer_dev_resync_failed": {"unit": "sectors"},
    "peer_dev_bitmap_uuid": {"show": _uuid}, "peer_dev_flags": {"flags": PEER_MDF},
    "nh_type": {"show": show_notify}, "helper_status": {"show": _wait_status},
}
ADDRESSES = ("ctx_my_addr", "ctx_peer_addr")   # struct sockaddr_in / sockaddr_in6
UUID_ARRAYS = {"uuids": ("UI_CURRENT", "UI_BITMAP", "UI_HISTORY_START", "UI_HISTORY_END"),
               "history_uuids": ()}   # HISTORY_UUIDS bytes of UI_HISTORY_START.. (drbd_nl.c)


def _uuid_array(field, labels):
    """A decode hook for u64 UUIDs back to back (host order), labelled by their index."""
    def decode(buf, start, end, order, req):
        st = struct.Struct(order + "Q")
        out, p, i = [], start, 0
        while p + 8 <= end:
            v = st.unpack_from(buf, p)[0]
            out.append(Node(field, v, p, 8, _uuid(v), label=labels[i] if i < len(labels) else f"[{i}]"))
            p, i = p + 8, i + 1
        if p < end:
            out.append(Node(field, bytes(buf[p:end]), p, end - p, bytes(buf[p:end]).hex(), status=UNKNOWN,
                            label="bytes after the last whole UUID"))
        return out
    return decode


def _uuids_text(data: bytes) -> str:
    n = len(data) // 8
    return ":".join(f"{v:016X}" for v in struct.unpack_from(f"<{n}Q", data)) if n else data.hex()


_TYPES = {"flg": "u8", "u32": "u32", "s32": "s32", "u64": "u64", "str": "string", "bin": "binary"}


def _spec(prefix: str, kind: str, name: str):
    kw = dict(SHOWS.get(name, {}))
    if kind == "flg":
        kw.setdefault("show", _yes_no)
    if name in ADDRESSES:
        kw["hint"] = "sockaddr"
    if name in UUID_ARRAYS:
        uuid = FIELDS.add(f"{prefix}.{name}.uuid", "UUID", UINT, f"a UUID of {name}")
        kw.update(decode=_uuid_array(uuid, UUID_ARRAYS[name]), show=_uuids_text)
    return a(_TYPES[kind], **kw)


class MemberSet(AttrSet):
    """One GENL_struct's members (T_<name>), with what its nla_policy says of each."""

    def __init__(self, tag: str, struct_name: str, fields):
        short = tag.removeprefix("DRBD_NLA_").lower()
        prefix = f"drbd.{short}"
        specs = {f"T_{f[3]}": _spec(prefix, f[2], f[3]) for f in fields}
        super().__init__(struct_name, prefix, specs, {f"T_{f[3]}": f[0] for f in fields}, strip="T_",
                         label=struct_name)
        self.tag = tag
        # nr -> (flags, kind, maxlen): the policy of each member
        self.policy = {f[0]: (f[1], f[2], f[4] if len(f) > 4 else None) for f in fields}
        self.maxtype = max(self.policy)   # ARRAY_SIZE(<struct>_nl_policy) - 1


SETS = {tag: MemberSet(tag, sname, fields) for tag, _, sname, fields in STRUCTS}
TOP = AttrSet("drbd", "drbd", {tag: a("nest", nested=SETS[tag]) for tag, _, _, _ in STRUCTS},
              {tag: num for tag, num, _, _ in STRUCTS}, strip="DRBD_NLA_", label="drbd")
TOP_MAXTYPE = max(num for _, num, _, _ in STRUCTS)   # ARRAY_SIZE(drbd_tla_nl_policy) - 1
MANDATORY_FIELD = FIELDS.add("drbd.mandatory", "Mandatory", BOOL,
                             "DRBD_GENLA_F_MANDATORY (1 << 14) in the attribute's nla_type")
PAD_FIELD = FIELDS.add("drbd.pad", "Padding", BYTES, "attribute 0: nla_put_u64_0pad's padding")

# struct drbd_genlmsghdr, as a request and as the kernel's
_MINOR = member("minor", Int32ul, lambda v: "4294967295 (none: a resource or connection)" if v == 0xFFFFFFFF
                else str(v), desc="the device minor (~0: none)")
REQUEST_HEADER = FixedStruct("drbd_genlmsghdr", "drbd.hdr", [
    _MINOR, member("flags", Int32ul, flags_show({1: "DRBD_GENL_F_SET_DEFAULTS"}),
                   flags={1: "DRBD_GENL_F_SET_DEFAULTS"})], label="DRBD header (drbd_genlmsghdr)")
KERNEL_HEADER = FixedStruct("drbd_genlmsghdr", "drbd.hdr", [
    _MINOR, member("ret_code", Int32sl, show_ret_code,
                   desc="enum drbd_ret_code (NO_ERROR 101), or enum drbd_state_rv")],
    label="DRBD header (drbd_genlmsghdr)")
HDRSIZE = 8   # NLA_ALIGN(sizeof(struct drbd_genlmsghdr))
_NLA = {"<": struct.Struct("<HH"), ">": struct.Struct(">HH")}
_INT_WIDTH = {"flg": 1, "u32": 4, "s32": 4, "u64": 8}


# --- the walker --------------------------------------------------------------------------------
def _flag_label(name: str, ty: int) -> str:
    words = (["nested"] if ty & NLA_F_NESTED else []) + (["mandatory"] if ty & MANDATORY else [])
    return f"{name} [{', '.join(words)}]" if words else name


def _policy_error(kind: str, maxlen, buf, vo: int, vl: int) -> str | None:
    """Why validate_nla() (liberal) refuses the member's value, or None (lib/nlattr.c)."""
    width = _INT_WIDTH.get(kind)
    if width is not None:
        return f"{KINDS[kind][0]} needs {width} bytes, got {vl}: the kernel refuses it (ERANGE)" if vl < width else None
    if kind == "str":
        plen = (maxlen - 1) & 0xFFFF   # .len = maxlen - 1 for NLA_NUL_STRING (0 - 1: 65535, no bound)
        data = bytes(buf[vo:vo + vl])
        if not data or b"\0" not in data[:min(vl, plen + 1)]:
            return (f"NLA_NUL_STRING without a NUL in its first {min(vl, plen + 1)} bytes: the kernel refuses it "
                    f"(EINVAL)")
        n = vl - 1 if data[-1] == 0 else vl
        return f"string of {n} bytes, at most {plen}: the kernel refuses it (ERANGE)" if n > plen else None
    if kind == "bin" and vl > maxlen:
        return f"NLA_BINARY of {vl} bytes, at most {maxlen}: the kernel refuses it (ERANGE)"
    return None


def _member(buf, pos: int, ln: int, ty: int, aset: MemberSet, order: str, depth: int, req) -> Node:
    num = ty & NLA_TYPE_MASK
    vo, vl = pos + 4, ln - 4
    spec = aset.by_num.get(num)
    if num == 0:
        node = Node(PAD_FIELD, bytes(buf[vo:vo + vl]), pos, ln, f"{vl} bytes of padding", label="pad")
    elif spec is None:
        data = bytes(buf[vo:vo + vl])
        why = ("mandatory, and no member of the struct: the kernel refuses the request (EOPNOTSUPP)"
               if ty & MANDATORY and num > aset.maxtype else "no member of the struct: the kernel ignores it")
        node = Node(aset.unknown_field, data, pos, ln, f"{data.hex() or '(empty)'} ({why})", status=UNKNOWN,
                    label=f"attribute {num} (unknown)")
    else:
        _, kind, maxlen = aset.policy[num]
        why = _policy_error(kind, maxlen, buf, vo, vl)
        width = _INT_WIDTH.get(kind)
        if why is not None:
            data = bytes(buf[vo:vo + vl])
            node = Node(spec.field, data, pos, ln, f"{why}: {data.hex()}", status=MALFORMED, label=spec.name)
        elif width is not None and vl > width and (vl - width >= 4 or any(buf[vo + width:vo + vl])):
            # taken, its first bytes read (nla_get_u8/u32/u64), the rest not (zero padding inside the
            # length, as a u8 put in 4 bytes, is no rest: decode_one takes it)
            node = decode_one(buf, pos, 4 + width, ty & ~MANDATORY, spec, order, depth, None, req)
            node.length = ln
            node.add(Node(aset.unknown_field, bytes(buf[vo + width:vo + vl]), vo + width, vl - width,
                          bytes(buf[vo + width:vo + vl]).hex(), status=UNKNOWN,
                          label=f"{vl - width} bytes after the {kind} value (the kernel does not read them)"))
        else:
            node = decode_one(buf, pos, ln, ty & ~MANDATORY, spec, order, depth, None, req)
            if req.full and spec.name.endswith("_state") and aset.tag == "DRBD_NLA_STATE_INFO" \
                    and node.status is None:
                node.children = _state_nodes(spec.field, node.value, vo)
        node.label = spec.name
    node.label = _flag_label(node.label, ty)
    if ty & MANDATORY and req.full:
        node.add(Node(MANDATORY_FIELD, True, pos + 2, 2, "DRBD_GENLA_F_MANDATORY (0x4000)"))
    return node


_STATE_FIELDS: dict = {}


def _state_nodes(parent, v: int, off: int) -> list[Node]:
    """The bit fields of a union drbd_state, a child each."""
    out = []
    for name, shift, width, show in STATE_BITS:
        f = _STATE_FIELDS.get((parent.abbrev, name))
        if f is None:
            f = _STATE_FIELDS[(parent.abbrev, name)] = FIELDS.add(
                f"{parent.abbrev}.{name.lstrip('_')}", name, UINT, f"union drbd_state: {name}:{width}")
        x = (v >> shift) & ((1 << width) - 1)
        out.append(Node(f, x, off, 4, show(x) if show else str(x), label=f"{name} (bits {shift}-{shift + width - 1})"))
    return out


for _abbrev in ("drbd.state_info.current_state", "drbd.state_info.prev_state", "drbd.state_info.new_state"):
    for _name, _shift, _width, _ in STATE_BITS:   # declared now, with the set, for filters
        _STATE_FIELDS[(_abbrev, _name)] = FIELDS.add(f"{_abbrev}.{_name.lstrip('_')}", _name, UINT,
                                                     f"union drbd_state: {_name}:{_width}")


def _run(buf, start: int, end: int, order: str, each) -> list[Node]:
    """A run of attributes; `each(pos, nla_len, nla_type)` makes a node of one.  Bytes that hold no
    whole attribute are malformed (zeros after the last one: padding)."""
    out, pos, unpack = [], start, _NLA[order].unpack_from
    while pos < end:
        if end - pos < 4:
            if any(buf[pos:end]):
                out.append(malformed(buf, pos, end, "truncated attribute header"))
            break
        ln, ty = unpack(buf, pos)
        if ln < 4:
            out.append(malformed(buf, pos, end, f"attribute length {ln} is shorter than its header"))
            break
        if pos + ln > end:
            out.append(malformed(buf, pos, end, f"attribute length {ln} overruns its container "
                                                f"({end - pos} bytes left)"))
            break
        out.append(each(pos, ln, ty))
        pos += (ln + 3) & ~3
    return out


def decode_payload(buf, start: int, end: int, order: str, request: bool, req) -> list[Node]:
    """struct drbd_genlmsghdr and the top-level nests after genlmsghdr."""
    if end - start < HDRSIZE:
        return [malformed(buf, start, end, f"drbd_genlmsghdr needs {HDRSIZE} bytes, {end - start} present "
                                           f"(genl refuses a message shorter than its family's hdrsize)")]
    out = [(REQUEST_HEADER if request else KERNEL_HEADER).node(buf, start, order, req=req)]

    def tla(pos, ln, ty):
        num = ty & NLA_TYPE_MASK
        spec = TOP.by_num.get(num)
        if spec is None:
            data = bytes(buf[pos + 4:pos + ln])
            return Node(TOP.unknown_field, data, pos, ln, f"{data.hex() or '(empty)'} (no drbd top-level "
                        f"attribute: the kernel ignores it)", status=UNKNOWN,
                        label=_flag_label(f"attribute {num} (unknown)", ty))
        aset = spec.nested
        kids = _run(buf, pos + 4, pos + ln, order, lambda p, n, t: _member(buf, p, n, t, aset, order, 1, req))
        return Node(spec.field, None, pos, ln, "", kids, label=_flag_label(spec.name, ty))
    return out + _run(buf, start + HDRSIZE, end, order, tla)


# --- Info --------------------------------------------------------------------------------------------
def _q(s) -> str:
    return '"' + str(s).replace('"', '\\"') + '"'


def _values(root) -> dict[str, object]:
    """field name less `drbd.` -> value, of what decoded (the first of each)."""
    out: dict = {}
    for n in root.walk():
        ab = n.field.abbrev
        if ab.startswith("drbd.") and n.status is None and n.value is not None:
            out.setdefault(ab[5:], n)
    return out


@info(levels=2)
def drbd_info(root) -> str:
    """`minor 0 r0/0 ret NO_ERROR (101)`, `r0 127.0.0.1:7788 → 127.0.0.2:7788 CHANGE conn Connected
    peer Secondary`, `minor 1 r1/0 CHANGE disk UpToDate`, `minor 0 r0/0 … STATE_CHANGE cs:SyncSource
    ro:Primary/Secondary ds:UpToDate/Inconsistent`, `minor 0 /dev/loop0 meta /dev/loop1 …` (a request)."""
    v = _values(root)

    def val(name):
        n = v.get(name)
        return n.value if n is not None else None

    parts = []
    minor = val("hdr.minor")
    if minor is not None and minor != 0xFFFFFFFF:
        parts.append(f"minor {minor}")
    res = val("cfg_context.ctx_resource_name")
    if res is not None:
        vol = val("cfg_context.ctx_volume")
        parts.append(res + (f"/{vol}" if vol is not None else ""))
    elif val("cfg_context.ctx_volume") is not None:
        parts.append(f"volume {val('cfg_context.ctx_volume')}")
    if val("cfg_context.ctx_my_addr") is not None or val("cfg_context.ctx_peer_addr") is not None:
        parts.append(f"{val('cfg_context.ctx_my_addr') or '?'} → {val('cfg_context.ctx_peer_addr') or '?'}")
    nh = val("notification_header.nh_type")
    if nh is not None:
        parts.append(NOTIFY.get(nh & ~H.NOTIFY_CONTINUES, str(nh)).removeprefix("NOTIFY_")
                     + (" (continues)" if nh & H.NOTIFY_CONTINUES else ""))
    ret = val("hdr.ret_code")
    if ret is not None and (ret != H.NO_ERROR or nh is None and val("state_info.sib_reason") is None):
        name = RET_CODES.get(ret)
        parts.append(f"ret {name} ({ret})" if name else f"ret {ret}")
    text = val("cfg_reply.info_text")
    if text:
        parts.append(_q(text))
    words = {"resource_info.res_role": ("role", ROLE_WORDS), "device_info.dev_disk_state": ("disk", DISK_WORDS),
             "connection_info.conn_connection_state": ("conn", CONN_WORDS),
             "connection_info.conn_role": ("peer", ROLE_WORDS),
             "peer_device_info.peer_repl_state": ("repl", CONN_WORDS),
             "peer_device_info.peer_disk_state": ("peer-disk", DISK_WORDS)}
    for name, (word, table) in words.items():
        if val(name) is not None:
            parts.append(f"{word} {_word(table, val(name))}")
    sib = val("state_info.sib_reason")
    if sib is not None:
        parts.append(SIB.get(sib, str(sib)).removeprefix("SIB_"))
    if val("state_info.current_state") is not None:
        parts.append(show_state(val("state_info.current_state")).split(" ", 1)[1])
    for name in ("state_info.helper", "helper.helper_name"):
        if val(name) is not None:
            parts.append(str(val(name)))
    for name in ("state_info.helper_exit_code", "helper.helper_status"):
        if val(name) is not None and (sib == API.SIB_HELPER_POST or name == "helper.helper_status" and nh
                                      and nh & ~H.NOTIFY_CONTINUES == H.NOTIFY_RESPONSE):
            parts.append(f"status {val(name)}")
    if val("timeout_parms.timeout_type") is not None:   # GET_TIMEOUT_TYPE's answer
        parts.append(TIMEOUTS.get(val("timeout_parms.timeout_type"), str(val("timeout_parms.timeout_type"))))
    if val("hdr.flags") is None:
        return " ".join(parts)
    # what a request asks (the kernel's status and events hold the whole configuration)
    if val("hdr.flags") & API.DRBD_GENL_F_SET_DEFAULTS:
        parts.append("set-defaults")
    if val("disk_conf.backing_dev") is not None:
        idx = val("disk_conf.meta_dev_idx")
        parts.append(f"{val('disk_conf.backing_dev')} meta {val('disk_conf.meta_dev')}"
                     + (f" {MD_INDEX.get(idx, idx)}" if idx is not None else ""))
    if val("net_conf.wire_protocol") is not None:
        parts.append("protocol " + "?ABC"[val("net_conf.wire_protocol")] if 1 <= val("net_conf.wire_protocol") <= 3
                     else f"protocol {val('net_conf.wire_protocol')}")
    for name, word in (("set_role_parms.assume_uptodate", "force"), ("detach_parms.force_detach", "force"),
                       ("disconnect_parms.force_disconnect", "force"), ("new_c_uuid_parms.clear_bm", "clear-bitmap"),
                       ("resize_parms.resize_force", "force"), ("resize_parms.no_resync", "no-resync")):
        if val(name):
            parts.append(word)
    if val("resize_parms.resize_size") is not None:
        parts.append(f"size {val('resize_parms.resize_size')} sectors")
    if val("start_ov_parms.ov_start_sector") is not None:
        parts.append(f"sectors {val('start_ov_parms.ov_start_sector')}-{val('start_ov_parms.ov_stop_sector')}")
    return " ".join(parts)


# --- the family ------------------------------------------------------------------------------------
class DrbdFamily(GenlFamily):
    """struct drbd_genlmsghdr then the top-level nests, their members read as the module's
    docstring says (DRBD_GENLA_F_MANDATORY stripped and shown)."""

    def dissect_payload(self, buf, start, end, mt, order, root, req) -> bool:
        # the header's union: a request's flags, the kernel's ret_code (by NLM_F_REQUEST, as the
        # kernel's messages never carry it)
        flags = struct.unpack_from(order + "H", buf, start - GENL_HDRLEN - NLMSG_HDRLEN + 6)[0]
        root.children.extend(decode_payload(buf, start, end, order, bool(flags & 1), req))
        return True


def _types(header: FixedStruct) -> dict[int, MessageType]:
    return {num: MessageType(num, name, kind_from_name(name), header, TOP, info=drbd_info)
            for name, num, _, _ in OPS}


FAMILY = DrbdFamily("drbd", "drbd", _types(REQUEST_HEADER), TOP, replies=_types(KERNEL_HEADER),
                    events=_types(KERNEL_HEADER))
FAMILY.mcast_groups = list(MCAST_GROUPS)
register_genl_family(FAMILY)
