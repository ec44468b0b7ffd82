"""Every other RTM_* type of <linux/rtnetlink.h>, named with its kind and fixed header.

Their attributes are decoded in full by the modules of their own groups as those are
written; until then the body after a known fixed header is walked as attributes of an
unknown set (each shown with its type number, length and raw bytes), and a body whose
header is not known here is shown raw.  Modules of the groups overwrite these entries,
whatever order the modules are imported in.
"""
from __future__ import annotations

from ...core.schema import c_struct
from ...generated import if_link as L, rtnetlink as R
from .common import show_af
from .protocol import ROUTE, add_types, all_type_names

TCAMSG = c_struct(R, "tcamsg", "rtnl.action", strip="tca_", label="tcamsg", show={"family": show_af})
NDUSEROPT = c_struct(R, "nduseroptmsg", "rtnl.nduseropt", strip="nduseropt_", label="nduseroptmsg",
                     show={"family": show_af})
STATSMSG = c_struct(L, "if_stats_msg", "rtnl.stats", label="if_stats_msg", show={"family": show_af})

# (RTM_NEWPREFIX: prefix.py)
_HEADERS = {"RTM_NEWNDUSEROPT": NDUSEROPT,
            "RTM_NEWACTION": TCAMSG, "RTM_DELACTION": TCAMSG, "RTM_GETACTION": TCAMSG,
            "RTM_NEWSTATS": STATSMSG, "RTM_GETSTATS": STATSMSG, "RTM_SETSTATS": STATSMSG}
add_types([n for n in all_type_names() if getattr(R, n) not in ROUTE.types], None, None, None,
          headers=_HEADERS)
