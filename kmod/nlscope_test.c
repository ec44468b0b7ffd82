// SPDX-License-Identifier: GPL-2.0
/*
 * nlscope_test: a generic netlink family that sends known traffic on request, so that
 * nlscope's decodes can be checked against what a real kernel really sent.
 *
 *   ECHO     the request's attributes, then one attribute of every type with fixed values
 *   DUMP     COUNT entries of PAYLOAD_LEN bytes: a multipart reply over several buffers
 *   NOTIFY   an EVENT to the "events" multicast group; the ACK carries an extack cookie
 *   FAIL     an error with an extack message and the U32 attribute blamed (bad-attr offset)
 *   REQUIRE  needs STRING: without it the kernel's own MISS_TYPE extack comes back
 * Strict policies (range, exact length, bitfield mask) make the kernel emit its own
 * policy-violation extacks too.  All fixed values come from test_values.json.
 */
#include <linux/if_ether.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/version.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "nlscope_test_uapi.h"
#include "nlscope_test_values.h"

static struct genl_family nt_family;

static const struct nla_policy nt_inner_policy[NLSCOPE_TEST_INNER_MAX + 1] = {
	[NLSCOPE_TEST_INNER_NAME] = { .type = NLA_NUL_STRING, .len = 31 },
	[NLSCOPE_TEST_INNER_ID] = { .type = NLA_U16 },
};

static const struct nla_policy nt_nest_policy[NLSCOPE_TEST_NEST_MAX + 1] = {
	[NLSCOPE_TEST_NEST_VALUE] = { .type = NLA_U32 },
	[NLSCOPE_TEST_NEST_INNER] = NLA_POLICY_NESTED(nt_inner_policy),
};

static const struct nla_policy nt_policy[NLSCOPE_TEST_ATTR_MAX + 1] = {
	[NLSCOPE_TEST_ATTR_U8] = NLA_POLICY_RANGE(NLA_U8, 0, 100),
	[NLSCOPE_TEST_ATTR_U16] = { .type = NLA_U16 },
	[NLSCOPE_TEST_ATTR_U32] = { .type = NLA_U32 },
	[NLSCOPE_TEST_ATTR_U64] = { .type = NLA_U64 },
	[NLSCOPE_TEST_ATTR_S8] = { .type = NLA_S8 },
	[NLSCOPE_TEST_ATTR_S16] = { .type = NLA_S16 },
	[NLSCOPE_TEST_ATTR_S32] = { .type = NLA_S32 },
	[NLSCOPE_TEST_ATTR_S64] = { .type = NLA_S64 },
	[NLSCOPE_TEST_ATTR_STRING] = { .type = NLA_STRING, .len = 64 },
	[NLSCOPE_TEST_ATTR_NUL_STRING] = { .type = NLA_NUL_STRING, .len = 64 },
	[NLSCOPE_TEST_ATTR_BINARY] = { .type = NLA_BINARY, .len = 64 },
	[NLSCOPE_TEST_ATTR_FLAG] = { .type = NLA_FLAG },
	[NLSCOPE_TEST_ATTR_BE16] = { .type = NLA_BE16 },
	[NLSCOPE_TEST_ATTR_BE32] = { .type = NLA_BE32 },
	[NLSCOPE_TEST_ATTR_NEST] = NLA_POLICY_NESTED(nt_nest_policy),
	[NLSCOPE_TEST_ATTR_ARRAY] = { .type = NLA_NESTED },
	[NLSCOPE_TEST_ATTR_BITFIELD32] = NLA_POLICY_BITFIELD32(0x7),
	[NLSCOPE_TEST_ATTR_IPV4] = NLA_POLICY_EXACT_LEN(4),
	[NLSCOPE_TEST_ATTR_IPV6] = NLA_POLICY_EXACT_LEN(16),
	[NLSCOPE_TEST_ATTR_MAC] = NLA_POLICY_ETH_ADDR,
	[NLSCOPE_TEST_ATTR_COUNT] = NLA_POLICY_RANGE(NLA_U32, 1, 10000),
	[NLSCOPE_TEST_ATTR_PAYLOAD_LEN] = NLA_POLICY_RANGE(NLA_U32, 0, 1024),
};

static int nt_put_fixed(struct sk_buff *msg)
{
	static const u8 binary[] = NT_BINARY;
	static const u8 ipv4[] = NT_IPV4;
	static const u8 ipv6[] = NT_IPV6;
	static const u8 mac[] = NT_MAC;
	static const u32 array[] = NT_ARRAY;
	struct nla_bitfield32 bf = { .value = NT_BF32_VALUE, .selector = NT_BF32_SELECTOR };
	struct nlattr *nest, *inner;
	int i;

	if (nla_put_u8(msg, NLSCOPE_TEST_ATTR_U8, NT_U8) ||
	    nla_put_u16(msg, NLSCOPE_TEST_ATTR_U16, NT_U16) ||
	    nla_put_u32(msg, NLSCOPE_TEST_ATTR_U32, NT_U32) ||
	    nla_put_u64_64bit(msg, NLSCOPE_TEST_ATTR_U64, NT_U64, NLSCOPE_TEST_ATTR_PAD) ||
	    nla_put_s8(msg, NLSCOPE_TEST_ATTR_S8, NT_S8) ||
	    nla_put_s16(msg, NLSCOPE_TEST_ATTR_S16, NT_S16) ||
	    nla_put_s32(msg, NLSCOPE_TEST_ATTR_S32, NT_S32) ||
	    nla_put_s64(msg, NLSCOPE_TEST_ATTR_S64, NT_S64, NLSCOPE_TEST_ATTR_PAD) ||
	    nla_put(msg, NLSCOPE_TEST_ATTR_STRING, strlen(NT_STRING), NT_STRING) ||
	    nla_put_string(msg, NLSCOPE_TEST_ATTR_NUL_STRING, NT_NUL_STRING) ||
	    nla_put(msg, NLSCOPE_TEST_ATTR_BINARY, sizeof(binary), binary) ||
	    nla_put_flag(msg, NLSCOPE_TEST_ATTR_FLAG) ||
	    nla_put_net16(msg, NLSCOPE_TEST_ATTR_BE16, htons(NT_BE16)) ||
	    nla_put_net32(msg, NLSCOPE_TEST_ATTR_BE32, htonl(NT_BE32)))
		return -EMSGSIZE;

	nest = nla_nest_start(msg, NLSCOPE_TEST_ATTR_NEST);
	if (!nest || nla_put_u32(msg, NLSCOPE_TEST_NEST_VALUE, NT_NEST_VALUE))
		return -EMSGSIZE;
	inner = nla_nest_start(msg, NLSCOPE_TEST_NEST_INNER);
	if (!inner || nla_put_string(msg, NLSCOPE_TEST_INNER_NAME, NT_INNER_NAME) ||
	    nla_put_u16(msg, NLSCOPE_TEST_INNER_ID, NT_INNER_ID))
		return -EMSGSIZE;
	nla_nest_end(msg, inner);
	nla_nest_end(msg, nest);

	nest = nla_nest_start(msg, NLSCOPE_TEST_ATTR_ARRAY);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < ARRAY_SIZE(array); i++)
		if (nla_put_u32(msg, i, array[i]))
			return -EMSGSIZE;
	nla_nest_end(msg, nest);

	if (nla_put(msg, NLSCOPE_TEST_ATTR_BITFIELD32, sizeof(bf), &bf) ||
	    nla_put(msg, NLSCOPE_TEST_ATTR_IPV4, sizeof(ipv4), ipv4) ||
	    nla_put(msg, NLSCOPE_TEST_ATTR_IPV6, sizeof(ipv6), ipv6) ||
	    nla_put(msg, NLSCOPE_TEST_ATTR_MAC, sizeof(mac), mac))
		return -EMSGSIZE;
	return 0;
}

static int nt_echo(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	struct nlattr *nla;
	void *hdr;
	int rem, err = -EMSGSIZE;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &nt_family, 0, NLSCOPE_TEST_CMD_ECHO);
	if (!hdr)
		goto free;
	/* the request's attributes first, as they came (type flags included) */
	nla_for_each_attr(nla, genlmsg_data(info->genlhdr), genlmsg_len(info->genlhdr), rem)
		if (nla_put(msg, nla->nla_type, nla_len(nla), nla_data(nla)))
			goto free;
	err = nt_put_fixed(msg);
	if (err)
		goto free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
free:
	nlmsg_free(msg);
	return err;
}

static int nt_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	/* 6.2 moved a dump's parsed attributes into a struct genl_info (genetlink.h) */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	struct nlattr **attrs = genl_dumpit_info(cb)->info.attrs;
#else
	struct nlattr **attrs = genl_dumpit_info(cb)->attrs;
#endif
	u32 count = attrs[NLSCOPE_TEST_ATTR_COUNT] ?
		nla_get_u32(attrs[NLSCOPE_TEST_ATTR_COUNT]) : 10;
	u32 plen = attrs[NLSCOPE_TEST_ATTR_PAYLOAD_LEN] ?
		nla_get_u32(attrs[NLSCOPE_TEST_ATTR_PAYLOAD_LEN]) : 100;
	u32 i, j;

	for (i = cb->args[0]; i < count; i++) {
		struct nlattr *payload;
		void *hdr;
		u8 *p;

		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq, &nt_family,
				  NLM_F_MULTI, NLSCOPE_TEST_CMD_DUMP);
		if (!hdr)
			break;
		payload = NULL;
		if (!nla_put_u32(skb, NLSCOPE_TEST_ATTR_INDEX, i))
			payload = nla_reserve(skb, NLSCOPE_TEST_ATTR_PAYLOAD, plen);
		if (!payload) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		p = nla_data(payload);
		for (j = 0; j < plen; j++)
			p[j] = (u8)(i + j);
		genlmsg_end(skb, hdr);
	}
	cb->args[0] = i;
	return skb->len;
}

static int nt_notify(struct sk_buff *skb, struct genl_info *info)
{
	static const u8 cookie[] = NT_COOKIE;
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put(msg, 0, 0, &nt_family, 0, NLSCOPE_TEST_CMD_EVENT);
	if (!hdr || nla_put_u32(msg, NLSCOPE_TEST_ATTR_U32, NT_EVENT_U32) ||
	    nla_put_string(msg, NLSCOPE_TEST_ATTR_NUL_STRING, "event")) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	/* no listener is not an error for the requester */
	genlmsg_multicast(&nt_family, msg, 0, 0, GFP_KERNEL);

	BUILD_BUG_ON(sizeof(cookie) > NETLINK_MAX_COOKIE_LEN);
	memcpy(info->extack->cookie, cookie, sizeof(cookie));
	info->extack->cookie_len = sizeof(cookie);
	return 0;
}

static int nt_fail(struct sk_buff *skb, struct genl_info *info)
{
	NL_SET_ERR_MSG(info->extack, NT_FAIL_MESSAGE);
	if (info->attrs[NLSCOPE_TEST_ATTR_U32])
		NL_SET_BAD_ATTR(info->extack, info->attrs[NLSCOPE_TEST_ATTR_U32]);
	return -NT_FAIL_ERRNO;
}

static int nt_require(struct sk_buff *skb, struct genl_info *info)
{
	if (GENL_REQ_ATTR_CHECK(info, NLSCOPE_TEST_ATTR_STRING))
		return -EINVAL;
	return 0;
}

static const struct genl_ops nt_ops[] = {
	{ .cmd = NLSCOPE_TEST_CMD_ECHO, .doit = nt_echo },
	{ .cmd = NLSCOPE_TEST_CMD_DUMP, .dumpit = nt_dump },
	{ .cmd = NLSCOPE_TEST_CMD_NOTIFY, .doit = nt_notify },
	{ .cmd = NLSCOPE_TEST_CMD_FAIL, .doit = nt_fail },
	{ .cmd = NLSCOPE_TEST_CMD_REQUIRE, .doit = nt_require },
};

static const struct genl_multicast_group nt_mcgrps[] = {
	{ .name = NT_MCGRP_NAME },
};

static struct genl_family nt_family __ro_after_init = {
	.name = NT_FAMILY_NAME,
	.version = NT_FAMILY_VERSION,
	.maxattr = NLSCOPE_TEST_ATTR_MAX,
	.policy = nt_policy,
	.netnsok = true,
	.module = THIS_MODULE,
	.ops = nt_ops,
	.n_ops = ARRAY_SIZE(nt_ops),
	.resv_start_op = __NLSCOPE_TEST_CMD_MAX,
	.mcgrps = nt_mcgrps,
	.n_mcgrps = ARRAY_SIZE(nt_mcgrps),
};

static int __init nt_init(void)
{
	return genl_register_family(&nt_family);
}

static void __exit nt_exit(void)
{
	genl_unregister_family(&nt_family);
}

module_init(nt_init);
module_exit(nt_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("nlscope test generic netlink family: known traffic on request");
