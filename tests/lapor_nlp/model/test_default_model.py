"""Behaviour of the bundled default model (Kalimantan Timur), as a deployment sees it.

The complaints here were written for these tests, not taken from the training data.
"""

from __future__ import annotations

import pandas as pd
import pytest

from lapor_nlp.model import ComplaintRouter
from lapor_nlp.paths import BUNDLED_MODELS_DIR, TRAINING_DATA_DIR
from lapor_nlp.registry import load_model_dir
from lapor_nlp.taxonomy import load_default_taxonomy

CLEAR = {
    "DISDIKBUD": (
        "Anak saya tidak diterima di SMA negeri padahal "
        "rumah kami dekat, sistem zonasi PPDB tidak adil"
    ),
    "DINKES": (
        "Puskesmas di kecamatan kami kehabisan vaksin untuk balita dan bidannya jarang datang"
    ),
    "RSUD_AWS": (
        "Antrean di RSUD Abdul Wahab Sjahranie lama sekali, ayah saya menunggu di IGD enam jam"
    ),
    "DPUPR": (
        "Jalan provinsi poros Tenggarong berlubang dalam dan jembatannya retak, mohon diperbaiki"
    ),
    "DISPERKIM": (
        "Air bersih di perumahan kami mati seminggu dan septic tank komunal meluber ke gang"
    ),
    "DISHUB": (
        "Angkot trayek kampus sering ngetem lama di terminal dan lampu lalu lintas simpang mati"
    ),
    "DINSOS": "Bantuan PKH dan BPNT untuk keluarga miskin kami tidak cair, nama hilang dari DTKS",
    "DLH": "Sungai di dekat rumah tercemar limbah pabrik, airnya hitam dan berbau, ikan mati",
    "DISHUT": "Ada penebangan kayu ilegal di kawasan hutan lindung dan lahan dibakar untuk dibuka",
    "DESDM": (
        "Tambang batu bara ilegal beroperasi malam hari "
        "dan lubang bekas tambang dibiarkan tanpa reklamasi"
    ),
    "DISNAKERTRANS": "Perusahaan membayar gaji kami di bawah UMP dan THR tahun ini tidak dibayar",
    "DPMPTSP": "Pengurusan izin usaha dan NIB lewat OSS sudah dua bulan tidak selesai",
    "BAPENDA": (
        "Saya mau bayar pajak kendaraan bermotor "
        "di Samsat tapi sistem pemutihan pajak membingungkan"
    ),
    "BPBD": "Banjir besar merendam desa kami, warga mengungsi dan belum ada bantuan logistik",
    "SATPOLPP": (
        "Pedagang kaki lima liar menutup trotoar dan "
        "tempat hiburan malam buka sampai subuh jual miras"
    ),
    "BKD": (
        "Seleksi PPPK tahun ini hasilnya tidak diumumkan, tenaga honorer di kantor dinas bingung"
    ),
    "DKP3A": (
        "Tetangga saya melakukan kekerasan dalam rumah "
        "tangga, istrinya dipukuli dan anaknya ketakutan"
    ),
    "DISPERINDAG": (
        "Harga minyak goreng dan beras di pasar naik terus, timbangan pedagang juga curang"
    ),
    "DISKOPUKM": (
        "Koperasi simpan pinjam tidak mengembalikan simpanan anggota, pelaku UMKM dirugikan"
    ),
    "DPMPD": "Penggunaan dana desa tidak transparan dan BUMDes di desa kami tidak jalan",
    "DISKOMINFO": (
        "Sinyal internet di kampung kami blank spot dan website pemerintah provinsi sering error"
    ),
    "DKP": "Nelayan di pesisir belum menerima bantuan kapal dan alat tangkap, masih ada bom ikan",
    "DISBUN": (
        "Harga TBS sawit anjlok dan kemitraan plasma dengan perusahaan perkebunan tidak jelas"
    ),
    "DPTPH": "Pupuk subsidi langka untuk petani padi, benih juga terlambat datang ke kelompok tani",
    "DISPORA": "Stadion dan GOR rusak tidak terawat, bonus atlet peraih medali belum dibayar",
    "DISPAR": "Fasilitas objek wisata air terjun rusak, toilet kotor dan promosi wisata tidak ada",
    "INSPEKTORAT": (
        "Pegawai dinas meminta pungutan liar dan uang pelicin, ada dugaan korupsi dan gratifikasi"
    ),
}


@pytest.fixture(scope="module")
def router() -> ComplaintRouter:
    dirs = [p for p in BUNDLED_MODELS_DIR.iterdir() if (p / "model.joblib").is_file()]
    assert len(dirs) == 1, f"exactly one bundled model expected in {BUNDLED_MODELS_DIR}"
    return load_model_dir(dirs[0]).router


def test_model_knows_the_whole_taxonomy(router: ComplaintRouter) -> None:
    taxonomy = load_default_taxonomy()
    assert set(router.classes_) == taxonomy.opd_codes
    assert router.category_classes_ is not None
    assert set(router.category_classes_) == taxonomy.category_codes


@pytest.mark.parametrize(("opd", "text"), sorted(CLEAR.items()))
def test_a_clear_complaint_lands_in_the_top_3(router: ComplaintRouter, opd: str, text: str) -> None:
    decision = router.route([text])[0]
    assert opd in [s.code for s in decision.opd[:3]], decision.opd
    assert decision.decision != "needs_info"


def test_most_clear_complaints_are_top_1(router: ComplaintRouter) -> None:
    decisions = router.route(list(CLEAR.values()))
    hits = sum(d.opd[0].code == opd for d, opd in zip(decisions, CLEAR, strict=True))
    assert hits / len(CLEAR) >= 0.85


BASE = "jalan poros provinsi di Sangatta berlubang dan jembatan kayunya hampir putus"
VARIANTS = [
    BASE.upper(),
    BASE.title(),
    BASE + ". Hubungi saya di 0812-5566-7788 atau budi.santoso@gmail.com, NIK 6472031508900001",
    "jln poros provinsi di sangatta bolong2 bgt dan jembatan kayunya hmpir putus!!!",
    "Jalan poros provinsi di Sangatta berlubaaang dan jembatan kayunya hampir putussss 😡😡",
]


@pytest.mark.parametrize("variant", VARIANTS)
def test_casing_personal_data_and_slang_route_the_same(
    router: ComplaintRouter, variant: str
) -> None:
    assert router.route([variant])[0].opd[0].code == router.route([BASE])[0].opd[0].code == "DPUPR"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "asdf qwerty zxcv",
        "🙏🙏🙏",
        "selamat siang admin",
        "tolong segera ditindaklanjuti",
    ],
)
def test_nonsense_or_empty_is_not_auto_routed(router: ComplaintRouter, text: str) -> None:
    assert router.route([text])[0].decision in {"needs_info", "review"}


@pytest.mark.parametrize(
    "text", ["", "   ", "🙏🙏🙏", "halo kak", "tes tes", "makasih min", "p", "mohon diproses"]
)
def test_content_free_text_needs_info(router: ComplaintRouter, text: str) -> None:
    assert router.route([text])[0].decision == "needs_info"


def test_seed_nonroutable_texts_need_info(router: ComplaintRouter) -> None:
    """The issue's contract; these texts are also in the gate's training data."""
    texts = pd.read_csv(TRAINING_DATA_DIR / "seed_nonroutable.csv")["text"].astype(str).tolist()
    decisions = router.route(texts)
    missed = [t for t, d in zip(texts, decisions, strict=True) if d.decision != "needs_info"]
    assert not missed, missed[:5]


def test_stored_thresholds_reach_the_target_and_hold_on_real_text(router: ComplaintRouter) -> None:
    thresholds = router.thresholds_
    seed = thresholds["fitted_on_seed"]
    assert seed["heldout_precision"] >= thresholds["target_precision"] == 0.95
    assert seed["heldout_coverage"] > 0.3
    real = thresholds["chosen_on_real_text"]
    assert thresholds["threshold"] == max(seed["threshold"], real["threshold"])
    assert thresholds["margin"] == max(seed["margin"], real["margin"])


def test_another_levels_matter_is_recognised_and_a_named_agency_counts(
    router: ComplaintRouter,
) -> None:
    bill = "Tagihan listrik PLN bulan ini naik dua kali lipat padahal pemakaian sama, meteran rusak"
    decision = router.route([bill])[0]
    assert decision.authority is not None and decision.authority.level == "bumn"
    assert decision.decision == "review"
    assert router.route(["jalan poros provinsi berlubang parah"])[0].authority is None
    vague = "mohon ditindaklanjuti laporan saya yang kemarin belum ada kabar"
    named = f"{vague}, sudah saya sampaikan ke Dinas Sosial"
    col = list(router.classes_).index("DINSOS")
    assert router.predict_proba([named])[0][col] > router.predict_proba([vague])[0][col]


def test_serving_and_batch_paths_see_the_same_tokens(router: ComplaintRouter) -> None:
    """The API explains through ``analyze``; ``predict`` uses ``transform``: same features."""
    texts = pd.read_csv(TRAINING_DATA_DIR / "seed_complaints.csv")["text"].tolist()[::5]
    texts += [*VARIANTS, "", "🙏", "Rp 1.750.000 di RT 04 km 12, hub 0812-5566-7788"]
    pre = router.preprocessor_
    batch = pre.transform(texts)
    single = [" ".join(feature for _, feature in pre.analyze(t)) for t in texts]
    assert batch == single
    routed = router.route(texts[:50])
    assert [d.opd for d in routed] == [d.opd for d in router.route(texts[:50], explain=False)]


def test_explanations_have_no_duplicates_or_bare_numbers(router: ComplaintRouter) -> None:
    text = (
        "Ada pungli pungli di SMK, guru diminta bayar Rp 2.500.000. Angkutan batubara "
        "batubara merusak jalan Samarinda-Tenggarong, jln Jl. Poros rusak"
    )
    terms = [t.term for t in router.route([text])[0].explanation]
    assert terms and len(set(terms)) == len(terms)
    assert all(any(ch.isalpha() for ch in t) for t in terms), terms
    for word in ("pungli", "batubara", "Samarinda-Tenggarong"):
        assert f"{word} {word}" not in terms
    assert "jln Jl" not in terms
    words = [w for t in terms for w in t.split()]
    assert len(set(words)) == len(words), f"a word shown twice: {terms}"


def test_structured_fields_change_nothing_for_the_bundled_model(router: ComplaintRouter) -> None:
    """Trained without fields: the model has no field block, and fields sent along are ignored."""
    from lapor_nlp.data.fields import ComplaintFields

    assert not router.uses_fields
    texts = list(CLEAR.values())[:4]
    where = [ComplaintFields(address="Jl. Mawar 3", kecamatan="Sungai Kunjang", channel="web")] * 4
    assert router.route(texts, fields=where) == router.route(texts)
