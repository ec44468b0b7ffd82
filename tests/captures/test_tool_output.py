"""Committed captures against what their tools printed (captures/NAME.log) for values that
change from run to run."""
from tests.captures.tool_output import check_stations, iw_stations
from tests.conftest import CAPTURES, decode_file


def test_station_counters_are_what_iw_printed():
    log = (CAPTURES / "stations.log").read_text()
    assert check_stations(decode_file(CAPTURES / "stations.pcapng"), log) == 3


def test_iw_station_blocks_are_read_whole():
    """The log reader itself: one block per station, every line it knows read."""
    log = ("+ iw dev wlan0 station dump\nStation 02:00:00:00:01:00 (on wlan0)\n\trx packets:\t35\n"
           "\tsignal:  \t-30 dBm\n\tpreamble:\tlong\n\tWMM/WME:\tyes\n\tMFP:\t\tno\nrc=0\n"
           "Station 02:00:00:00:00:00 (on wlan1)\n\ttx failed:\t0\n")
    assert iw_stations(log) == [
        {"mac": "02:00:00:00:01:00", "values": {"nl80211.sta_info.rx_packets": 35, "nl80211.sta_info.signal": -30},
         "flags": {"short_preamble": False, "wme": True, "mfp": False}},
        {"mac": "02:00:00:00:00:00", "values": {"nl80211.sta_info.tx_failed": 0}, "flags": {}}]
