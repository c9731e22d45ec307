"""Texts for the feedback-loop tests: transport complaints, an OPD the base model never saw."""

from __future__ import annotations

# The base model is trained on tests.api.corpus (DPUPR, DINKES, DISDIKBUD, DINSOS, DLH).
# Operators correct these to DISHUB; after retraining and promotion they must route there.
TRANSPORT_TEXTS = [
    "Bus antar kota sering ugal-ugalan dan sopir bus ngebut di terminal",
    "Trayek angkot ke terminal dihapus sehingga warga tidak ada angkutan umum",
    "Kapal penyeberangan di pelabuhan sering terlambat dan tiket kapal mahal",
    "Lampu lalu lintas di simpang empat mati sehingga terjadi kemacetan parah",
    "Uji KIR kendaraan angkutan barang dipungut biaya di luar tarif resmi",
    "Terminal bus kotor dan calo tiket bus berkeliaran mengganggu penumpang",
    "Angkutan umum dan angkot tidak beroperasi malam hari, trayek terbengkalai",
    "Truk angkutan batu bara melintas di jalan kota, kemacetan dan lalu lintas kacau",
    "Jadwal kapal dan speedboat di pelabuhan tidak jelas, penumpang terlantar",
    "Sopir angkot menaikkan tarif angkutan umum seenaknya di terminal",
    "Rambu lalu lintas dan marka di persimpangan hilang sehingga rawan tabrakan",
    "Bus sekolah dan bus kota tidak ada di trayek pinggiran, penumpang menunggu lama",
]
