"""A tiny inline Indonesian corpus: enough for a real (small) routing model in the API tests."""

from __future__ import annotations

CORPUS: list[tuple[str, str, str]] = [
    # (text, OPD, category)
    (
        "Jalan poros provinsi rusak parah dan berlubang, mohon segera diperbaiki",
        "DPUPR",
        "INFRASTRUKTUR",
    ),
    ("Jembatan penghubung desa retak dan jalan aspal berlubang besar", "DPUPR", "INFRASTRUKTUR"),
    ("Drainase tersumbat sehingga jalan tergenang banjir setiap hujan", "DPUPR", "INFRASTRUKTUR"),
    (
        "Proyek perbaikan jalan terbengkalai, aspal mengelupas dan berlubang",
        "DPUPR",
        "INFRASTRUKTUR",
    ),
    ("Jalan rusak berlubang di km 12 menyebabkan kecelakaan motor", "DPUPR", "INFRASTRUKTUR"),
    ("Saluran irigasi dan jalan usaha tani rusak belum diperbaiki", "DPUPR", "INFRASTRUKTUR"),
    ("Puskesmas kekurangan obat dan dokter sering tidak ada di tempat", "DINKES", "KESEHATAN"),
    ("Vaksinasi anak di puskesmas ditunda karena stok vaksin habis", "DINKES", "KESEHATAN"),
    (
        "Kasus demam berdarah meningkat tetapi fogging belum dilakukan puskesmas",
        "DINKES",
        "KESEHATAN",
    ),
    ("Tenaga kesehatan puskesmas bersikap kasar kepada pasien lansia", "DINKES", "KESEHATAN"),
    ("Obat untuk pasien puskesmas kosong dan harus dibeli di apotek", "DINKES", "KESEHATAN"),
    ("Program penanganan stunting di puskesmas tidak berjalan", "DINKES", "KESEHATAN"),
    ("Sekolah SMA negeri memungut biaya seragam dan uang gedung", "DISDIKBUD", "PENDIDIKAN"),
    (
        "Pendaftaran PPDB zonasi SMA tidak transparan, anak saya tidak diterima",
        "DISDIKBUD",
        "PENDIDIKAN",
    ),
    ("Gaji guru honorer sekolah SMK belum dibayar tiga bulan", "DISDIKBUD", "PENDIDIKAN"),
    ("Beasiswa Kaltim Tuntas untuk siswa sekolah belum cair", "DISDIKBUD", "PENDIDIKAN"),
    ("Pungutan liar di sekolah SMA negeri untuk kegiatan perpisahan", "DISDIKBUD", "PENDIDIKAN"),
    ("Ruang kelas sekolah SLB rusak dan guru kurang", "DISDIKBUD", "PENDIDIKAN"),
    ("Bantuan sosial sembako tidak sampai ke keluarga miskin di desa kami", "DINSOS", "SOSIAL"),
    ("Nama saya tidak terdaftar di DTKS sehingga tidak menerima bantuan PKH", "DINSOS", "SOSIAL"),
    ("Penyaluran BLT bantuan sosial tidak tepat sasaran", "DINSOS", "SOSIAL"),
    ("Lansia terlantar tidak mendapat bantuan sosial dari dinas", "DINSOS", "SOSIAL"),
    ("Bantuan BPNT sembako dipotong oleh pendamping", "DINSOS", "SOSIAL"),
    ("Data penerima bantuan sosial PKH tidak diperbarui", "DINSOS", "SOSIAL"),
    (
        "Sungai tercemar limbah tambang sehingga air berubah warna dan ikan mati",
        "DLH",
        "LINGKUNGAN",
    ),
    ("Asap pabrik menyebabkan pencemaran udara di permukiman warga", "DLH", "LINGKUNGAN"),
    ("Sampah menumpuk di tepi sungai dan menimbulkan bau busuk", "DLH", "LINGKUNGAN"),
    ("Limbah industri dibuang ke sungai tanpa pengolahan", "DLH", "LINGKUNGAN"),
    ("Pencemaran air sungai oleh limbah perusahaan sawit", "DLH", "LINGKUNGAN"),
    ("Bau limbah dan sampah dari tempat pembuangan mencemari lingkungan", "DLH", "LINGKUNGAN"),
]

NONROUTABLE = ["halo min", "terima kasih", "tes tes", "selamat pagi admin"]

ROAD_TEXT = "Jalan provinsi rusak berlubang dan belum diperbaiki, sering terjadi kecelakaan"
HEALTH_TEXT = "Puskesmas kehabisan obat dan dokter jarang datang melayani pasien"
