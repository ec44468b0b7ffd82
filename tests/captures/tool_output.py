"""Values a tool printed, read from a scenario's log, to hold decodes to what changes from
run to run (counters, times): the expected files can only hold what a scenario chose."""
import re

# `iw dev X station dump/get` lines -> the NL80211_STA_INFO_* field that holds the value
IW_STATION = {"inactive time": "nl80211.sta_info.inactive_time", "rx bytes": "nl80211.sta_info.rx_bytes64",
              "rx packets": "nl80211.sta_info.rx_packets", "tx bytes": "nl80211.sta_info.tx_bytes64",
              "tx packets": "nl80211.sta_info.tx_packets", "tx retries": "nl80211.sta_info.tx_retries",
              "tx failed": "nl80211.sta_info.tx_failed", "rx drop misc": "nl80211.sta_info.rx_drop_misc",
              "signal": "nl80211.sta_info.signal", "signal avg": "nl80211.sta_info.signal_avg",
              "connected time": "nl80211.sta_info.connected_time",
              "beacon interval": "nl80211.sta_bss_param.beacon_interval",
              "DTIM period": "nl80211.sta_bss_param.dtim_period"}
# struct nl80211_sta_flag_update's bits: 1 << NL80211_STA_FLAG_* (nl80211.h)
STA_FLAG_BITS = {"authorized": 2, "short_preamble": 4, "wme": 8, "mfp": 16, "authenticated": 32, "tdls_peer": 64,
                 "associated": 128}
IW_FLAGS = {"authorized": "authorized", "authenticated": "authenticated", "associated": "associated",
            "WMM/WME": "wme", "MFP": "mfp", "TDLS peer": "tdls_peer"}


def iw_stations(log: str) -> list[dict]:
    """Every station block iw printed, in order: its MAC, numbers and yes/no flags."""
    out = []
    for block in re.split(r"^(?=Station )", log, flags=re.M)[1:]:
        st = {"mac": block.split()[1], "values": {}, "flags": {}}
        for line in block.splitlines()[1:]:
            if not line.startswith("\t"):
                break
            key, _, val = line.strip().partition(":")
            val = val.strip()
            if key in IW_STATION:
                st["values"][IW_STATION[key]] = int(val.split()[0])
            elif key in IW_FLAGS:
                st["flags"][IW_FLAGS[key]] = val == "yes"
            elif key == "preamble":
                st["flags"]["short_preamble"] = val == "short"
        out.append(st)
    return out


def check_stations(msgs, log: str) -> int:
    """Each NL80211_CMD_NEW_STATION decoded says what iw printed for it; the count compared."""
    printed = iw_stations(log)
    stations = [m for m in msgs if m.type_name == "NL80211_CMD_NEW_STATION"]
    assert len(stations) == len(printed), (len(stations), len(printed))
    for m, st in zip(stations, printed):
        tree = m.tree
        assert tree.first("nl80211.mac") == st["mac"], (m.frame, st["mac"])
        for field, want in st["values"].items():
            assert tree.first(field) == want, (m.frame, field, tree.first(field), want)
        mask, got = tree.first("nl80211.sta_flag_update.mask"), tree.first("nl80211.sta_flag_update.set")
        for flag, want in st["flags"].items():
            bit = STA_FLAG_BITS[flag]
            assert mask & bit, (m.frame, flag)
            assert bool(got & bit) == want, (m.frame, flag, got, want)
    return len(stations)
