"""The BPF program of the BPF source (nlscope/sources/bpf.py), compiled by bcc.

Two hooks, the places nlmon taps, without its whitelist of protocols (net/netlink/af_netlink.c):
  netlink_unicast(ssk, skb, portid, nonblock) with portid 0: a user socket sends to the
      kernel; seen before the kernel's input callback consumes the skb;
  __netlink_sendskb(sk, skb): an skb queued on a user socket: the kernel's unicast answers,
      each part of a dump, each copy of a multicast, and user-to-user messages.
Each skb becomes one record: its bytes in chunks of CHUNK bytes (the header repeated in
each, `offset` saying where the chunk goes), so a message of any size is kept whole up to
MAX_CHUNKS chunks.  A chunk the ring cannot take ends the skb's record and counts it dropped
(counts[DROPPED]): user space, which throws the incomplete skb away, then holds exactly
counts[SEEN] - counts[DROPPED] skbs.  The fields read come from the kernel's BTF, compiled in
as OFF_* macros (bpf_btf.py): no kernel header with private structs is compiled.
"""

CHUNK = 8192          # bytes of an skb per ring record (a power of two: the size is masked with 2*CHUNK-1)
MAX_CHUNKS = 128      # an skb of up to 1 MiB is captured whole; a longer one is cut there
SEEN, DROPPED, SERIAL = 0, 1, 2   # counts[3 * hook + …] (hook 0: netlink_unicast, 1: __netlink_sendskb)
HEAD_SIZE = 72        # struct nls_head

TEXT = r"""
#include <uapi/linux/ptrace.h>

struct sock;
struct sk_buff;

struct nls_head {
    u64 ts;          /* bpf_ktime_get_ns(): CLOCK_MONOTONIC */
    u64 id;          /* cpu << 40 | hook << 39 | the hook's serial on that cpu: the chunks of one skb */
    u32 len;         /* skb->len */
    u32 caplen;      /* bytes captured (the linear part, at most MAX_CHUNKS chunks) */
    u32 offset;      /* where this chunk's bytes go */
    u32 protocol;    /* sk->sk_protocol */
    u32 sender;      /* port id of the sending socket (0: the kernel) */
    u32 receiver;    /* port id of the receiving socket (0: the kernel) */
    u32 group;       /* NETLINK_CB(skb).dst_group: the multicast group, 0 for unicast */
    u32 tgid;
    u32 tid;
    u32 outbound;    /* 1: queued on a user socket, 0: sent to the kernel */
    char comm[16];
};

struct nls_chunk {
    struct nls_head h;
    u8 data[2 * CHUNK];   /* twice CHUNK: the verifier bounds a length masked with 2*CHUNK-1 */
};

BPF_RINGBUF_OUTPUT(events, RING_PAGES);
BPF_PERCPU_ARRAY(scratch, struct nls_chunk, 2);   /* one per hook: a hook may interrupt the other */
BPF_PERCPU_ARRAY(counts, u64, 6);                  /* per hook too: increments never interleave */
BPF_ARRAY(control, u32, 1);                        /* 1 while capturing; stop() sets 0 */

static __always_inline int nls_record(void *sk, void *skb, u32 outbound)
{
    u32 zero = 0, key_seen = 3 * outbound + SEEN, key_dropped = 3 * outbound + DROPPED;
    u32 key_serial = 3 * outbound + SERIAL;
    u32 *on = control.lookup(&zero);
    if (!on || !*on)
        return 0;
    u64 pid_tgid = bpf_get_current_pid_tgid();
    if ((u32)(pid_tgid >> 32) == SELF_TGID)
        return 0;
    struct nls_chunk *c = scratch.lookup(&outbound);
    u64 *seen = counts.lookup(&key_seen);
    u64 *dropped = counts.lookup(&key_dropped);
    u64 *serial = counts.lookup(&key_serial);
    if (!c || !seen || !dropped || !serial)
        return 0;
    *seen += 1;
    *serial += 1;
    u32 len = 0, data_len = 0, cb_portid = 0, cb_group = 0, sk_portid = 0;
    u16 protocol = 0;
    void *data = 0;
    bpf_probe_read_kernel(&len, 4, (char *)skb + OFF_SKB_LEN);
    bpf_probe_read_kernel(&data_len, 4, (char *)skb + OFF_SKB_DATA_LEN);
    bpf_probe_read_kernel(&data, 8, (char *)skb + OFF_SKB_DATA);
    bpf_probe_read_kernel(&cb_portid, 4, (char *)skb + OFF_SKB_CB + OFF_CB_PORTID);
    bpf_probe_read_kernel(&cb_group, 4, (char *)skb + OFF_SKB_CB + OFF_CB_DST_GROUP);
    bpf_probe_read_kernel(&protocol, 2, (char *)sk + OFF_SK_PROTOCOL);
    bpf_probe_read_kernel(&sk_portid, 4, (char *)sk + OFF_NLK_PORTID);
    u32 caplen = data_len < len ? len - data_len : 0;
    if (caplen > MAX_CHUNKS * CHUNK)
        caplen = MAX_CHUNKS * CHUNK;
    c->h.ts = bpf_ktime_get_ns();
    c->h.id = ((u64)bpf_get_smp_processor_id() << 40) | ((u64)outbound << 39) | (*serial & 0x7FFFFFFFFFULL);
    c->h.len = len;
    c->h.caplen = caplen;
    c->h.protocol = protocol;
    c->h.sender = outbound ? cb_portid : sk_portid;
    c->h.receiver = outbound ? sk_portid : 0;
    c->h.group = cb_group;
    c->h.tgid = pid_tgid >> 32;
    c->h.tid = (u32)pid_tgid;
    c->h.outbound = outbound;
    bpf_get_current_comm(&c->h.comm, sizeof(c->h.comm));
    for (u32 i = 0; i < MAX_CHUNKS; i++) {
        u32 off = i * CHUNK;
        if (i > 0 && off >= caplen)
            break;
        u32 n = caplen > off ? caplen - off : 0;
        if (n > CHUNK)
            n = CHUNK;
        n &= 2 * CHUNK - 1;
        c->h.offset = off;
        if (n)
            bpf_probe_read_kernel(c->data, n, (char *)data + off);
        if (events.ringbuf_output(c, sizeof(c->h) + n, 0) < 0) {
            *dropped += 1;
            return 0;
        }
    }
    return 0;
}

#ifdef USE_FENTRY
KFUNC_PROBE(netlink_unicast, struct sock *ssk, struct sk_buff *skb, u32 portid, int nonblock)
{
    if (portid != 0)
        return 0;
    return nls_record(ssk, skb, 0);
}

KFUNC_PROBE(__netlink_sendskb, struct sock *sk, struct sk_buff *skb)
{
    return nls_record(sk, skb, 1);
}
#else
int kp_netlink_unicast(struct pt_regs *ctx)
{
    if ((u32)PT_REGS_PARM3(ctx) != 0)
        return 0;
    return nls_record((void *)PT_REGS_PARM1(ctx), (void *)PT_REGS_PARM2(ctx), 0);
}

int kp_netlink_sendskb(struct pt_regs *ctx)
{
    return nls_record((void *)PT_REGS_PARM1(ctx), (void *)PT_REGS_PARM2(ctx), 1);
}
#endif
"""
