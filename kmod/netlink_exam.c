// SPDX-License-Identifier: GPL-2.0
/*
 * netlink_exam: the classic netlink example, on today's kernel API.
 *
 * A kernel netlink socket (netlink_kernel_create) on protocol `proto` (default 17,
 * the classic private NETLINK_MYTEST; 2, NETLINK_USERSOCK, puts the traffic where
 * nlmon can see it).  Each message a user program sends is
 *   - kept in a buffer readable at /proc/netlink_exam_buffer,
 *   - echoed back to the sender by unicast (type EXAM_MSG_ECHO),
 *   - announced to multicast group 1 (type EXAM_MSG_ANNOUNCE).
 * The user programs exam_send.py and exam_recv.py in tools/ drive it.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>
#include <net/netlink.h>

#define EXAM_MSG_TEXT		(NLMSG_MIN_TYPE + 0)	/* user -> kernel */
#define EXAM_MSG_ECHO		(NLMSG_MIN_TYPE + 1)	/* kernel -> sender */
#define EXAM_MSG_ANNOUNCE	(NLMSG_MIN_TYPE + 2)	/* kernel -> group 1 */
#define EXAM_GROUP		1
#define EXAM_BUF_SIZE		4096

static int proto = 17;
module_param(proto, int, 0444);
MODULE_PARM_DESC(proto, "netlink protocol number (17 = NETLINK_MYTEST, 2 = NETLINK_USERSOCK)");

static struct sock *exam_sk;
static DEFINE_MUTEX(exam_lock);
static char exam_buf[EXAM_BUF_SIZE];
static size_t exam_len;

static void exam_send(const struct nlmsghdr *req, u16 type, u32 portid, bool multicast)
{
	size_t len = nlmsg_len(req);
	struct nlmsghdr *nlh;
	struct sk_buff *skb;

	skb = nlmsg_new(len, GFP_KERNEL);
	if (!skb)
		return;
	nlh = nlmsg_put(skb, 0, req->nlmsg_seq, type, len, 0);
	if (!nlh) {
		kfree_skb(skb);
		return;
	}
	memcpy(nlmsg_data(nlh), nlmsg_data(req), len);
	if (multicast)
		nlmsg_multicast(exam_sk, skb, 0, EXAM_GROUP, GFP_KERNEL);
	else
		nlmsg_unicast(exam_sk, skb, portid);
}

static void exam_input(struct sk_buff *skb)
{
	const struct nlmsghdr *nlh = nlmsg_hdr(skb);

	if (skb->len < NLMSG_HDRLEN || nlh->nlmsg_len < NLMSG_HDRLEN || skb->len < nlh->nlmsg_len)
		return;
	if (nlh->nlmsg_type != EXAM_MSG_TEXT)
		return;
	mutex_lock(&exam_lock);
	exam_len = min_t(size_t, nlmsg_len(nlh), sizeof(exam_buf));
	memcpy(exam_buf, nlmsg_data(nlh), exam_len);
	mutex_unlock(&exam_lock);
	exam_send(nlh, EXAM_MSG_ECHO, NETLINK_CB(skb).portid, false);
	exam_send(nlh, EXAM_MSG_ANNOUNCE, 0, true);
}

static int exam_show(struct seq_file *m, void *v)
{
	mutex_lock(&exam_lock);
	seq_write(m, exam_buf, exam_len);
	mutex_unlock(&exam_lock);
	return 0;
}

static int __init exam_init(void)
{
	struct netlink_kernel_cfg cfg = {
		.input = exam_input,
		.groups = EXAM_GROUP,
		.flags = NL_CFG_F_NONROOT_RECV,
	};

	exam_sk = netlink_kernel_create(&init_net, proto, &cfg);
	if (!exam_sk)
		return -EPROTONOSUPPORT;
	if (!proc_create_single("netlink_exam_buffer", 0444, NULL, exam_show)) {
		netlink_kernel_release(exam_sk);
		return -ENOMEM;
	}
	return 0;
}

static void __exit exam_exit(void)
{
	remove_proc_entry("netlink_exam_buffer", NULL);
	netlink_kernel_release(exam_sk);
}

module_init(exam_init);
module_exit(exam_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Classic netlink example: kernel socket that stores, echoes and announces messages");
