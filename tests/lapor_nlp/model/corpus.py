"""A tiny inline corpus: enough for the router to learn four agencies apart."""

from __future__ import annotations

ROWS: list[tuple[str, str, str]] = [
    ("Jalan poros Samarinda Bontang berlubang besar, banyak motor jatuh", "DPUPR", "INFRASTRUKTUR"),
    ("jembatan di km 12 retak dan amblas, mohon segera diperbaiki", "DPUPR", "INFRASTRUKTUR"),
    ("aspal jalan provinsi mengelupas dan berlubang sejak musim hujan", "DPUPR", "INFRASTRUKTUR"),
    ("drainase jalan tersumbat sehingga jalan tergenang setiap hujan", "DPUPR", "INFRASTRUKTUR"),
    ("perbaikan jalan rusak di Tenggarong tidak kunjung selesai", "DPUPR", "INFRASTRUKTUR"),
    ("lubang di jalan poros makin dalam, truk sering terperosok", "DPUPR", "INFRASTRUKTUR"),
    ("bantuan sosial PKH keluarga kami tidak cair sudah tiga bulan", "DINSOS", "SOSIAL"),
    ("nama ibu saya hilang dari DTKS padahal keluarga miskin", "DINSOS", "SOSIAL"),
    ("BLT sembako tidak pernah sampai ke warga lansia di RT kami", "DINSOS", "SOSIAL"),
    ("orang dengan gangguan jiwa terlantar di pasar, mohon dinas sosial", "DINSOS", "SOSIAL"),
    ("penyandang disabilitas belum menerima bantuan kursi roda", "DINSOS", "SOSIAL"),
    ("bansos beras untuk keluarga miskin dipotong oleh pengurus", "DINSOS", "SOSIAL"),
    ("sampah menumpuk di TPS dan tidak diangkut seminggu, bau busuk", "DLH", "LINGKUNGAN"),
    ("sungai tercemar limbah pabrik, air hitam dan ikan mati", "DLH", "LINGKUNGAN"),
    ("asap pembakaran dari pabrik membuat warga sesak napas", "DLH", "LINGKUNGAN"),
    ("limbah tambang batu bara mengalir ke sungai warga", "DLH", "LINGKUNGAN"),
    ("tumpukan sampah liar di pinggir jalan mengundang lalat", "DLH", "LINGKUNGAN"),
    ("bau menyengat dari TPA sampai ke permukiman warga", "DLH", "LINGKUNGAN"),
    (
        "gaji kami di bawah UMP dan lembur tidak dibayar perusahaan",
        "DISNAKERTRANS",
        "KETENAGAKERJAAN",
    ),
    ("THR karyawan tidak dibayar oleh perusahaan sawit", "DISNAKERTRANS", "KETENAGAKERJAAN"),
    (
        "saya di PHK sepihak tanpa pesangon setelah lima tahun kerja",
        "DISNAKERTRANS",
        "KETENAGAKERJAAN",
    ),
    (
        "perusahaan tidak mendaftarkan pekerja ke BPJS Ketenagakerjaan",
        "DISNAKERTRANS",
        "KETENAGAKERJAAN",
    ),
    (
        "upah buruh dipotong tanpa alasan dan kontrak tidak jelas",
        "DISNAKERTRANS",
        "KETENAGAKERJAAN",
    ),
    ("pekerja tambang tidak diberi alat keselamatan kerja K3", "DISNAKERTRANS", "KETENAGAKERJAAN"),
]

NONROUTABLE: list[str] = [
    "selamat pagi admin",
    "halo min",
    "tes",
    "test 123",
    "terima kasih",
    "mohon ditindaklanjuti",
]


# Complaints the province cannot act on, with the level that can.
NOT_AUTHORITY: list[tuple[str, str]] = [
    ("tagihan listrik PLN bulan ini naik dua kali lipat padahal pemakaian sama", "bumn"),
    ("token listrik PLN sudah dibeli tapi tidak masuk ke meteran", "bumn"),
    ("listrik PLN padam tiap malam di perumahan kami tanpa pemberitahuan", "bumn"),
    ("kartu BPJS Kesehatan saya tidak aktif padahal iuran sudah dibayar", "bumn"),
    ("petugas SPBU Pertamina mengisi BBM kurang dari takaran", "bumn"),
    ("sinyal IndiHome Telkom putus seminggu tidak ada perbaikan", "bumn"),
    ("laporan pencurian motor di polsek tidak ditindaklanjuti polisi", "pusat"),
    ("pengurusan SIM di polres dipersulit dan diminta uang tambahan", "pusat"),
    ("sertifikat tanah di kantor BPN tidak selesai dua tahun", "pusat"),
    ("antrean paspor di kantor imigrasi sangat lama", "pusat"),
    ("pendaftaran nikah di KUA dipungut biaya di luar ketentuan", "pusat"),
    ("jalan nasional yang dikelola BBPJN berlubang dan tidak diperbaiki", "pusat"),
    ("surat keterangan domisili di kelurahan tidak dilayani lurah", "kabkota"),
    ("guru SD negeri sering tidak masuk kelas dan murid dipulangkan", "kabkota"),
    ("pungutan seragam di SMP negeri kota memberatkan orang tua", "kabkota"),
    ("air PDAM mati tiga hari di RT kami dan tagihan tetap penuh", "kabkota"),
    ("ketua RT meminta uang untuk surat pengantar ke kelurahan", "kabkota"),
    ("jalan gang di lingkungan RT rusak, mohon perbaikan dari kecamatan", "kabkota"),
]


def texts() -> list[str]:
    return [row[0] for row in ROWS]


def opd() -> list[str]:
    return [row[1] for row in ROWS]


def category() -> list[str]:
    return [row[2] for row in ROWS]
