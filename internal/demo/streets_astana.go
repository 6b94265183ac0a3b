package demo

// astanaStreets returns Astana's street table, written as Almaty's is. All
// its streets are laid out at random in the district they belong to; the
// numbered streets of the new quarters come from astanaNumbered.
func astanaStreets() []streetDef {
	var defs []streetDef
	defs = append(defs, placed("yesil", avenue,
		"Мәңгілік Ел|Мангилик Ел|Mangilik El", "Қабанбай батыр|Кабанбай батыра",
		"Тұран|Туран", "Ұлы Дала|Улы Дала",
	)...)
	defs = append(defs, placed("yesil", boulevard, "Нұржол|Нуржол")...)
	defs = append(defs, placed("yesil", street,
		"Сығанақ|Сыганак", "Достық|Достык", "Орынбор", "Сауран",
		"Керей, Жәнібек хандар|Керей, Жанибек хандар|Kerey and Zhanibek Khans",
		"Әлихан Бөкейхан|Алихана Бокейхана", "Хусейн бен Талал|Хусейн бен Талал|Hussein bin Talal",
		"Ақмешіт|Акмешит", "Түркістан|Туркестан|Turkistan",
		"Дінмұхамед Қонаев|Динмухамеда Кунаева|Dinmukhamed Kunaev",
		"Қайым Мұхамедханов|Кайыма Мухамедханова", "Сарайшық|Сарайшык",
		"Шәмші Қалдаяқов|Шамши Калдаякова", "Ахмет Байтұрсынұлы|Ахмета Байтурсынулы",
		"Ғабит Мүсірепов|Габита Мусрепова", "Әнет баба|Анет баба",
	)...)
	defs = append(defs, placed("yesil", micro,
		"Шұбар|Шубар", "Қараөткел|Караоткель|Karaotkel",
	)...)

	defs = append(defs, placed("nura", highway, "Қорғалжын|Коргалжинское|Korgalzhyn")...)
	defs = append(defs, placed("nura", street,
		"Шыңғыс Айтматов|Чингиза Айтматова|Chingiz Aitmatov",
		"Мәншүк Мәметова|Маншук Маметовой", "Әлия Молдағұлова|Алии Молдагуловой",
		"Күлтегін|Кюльтегина|Kultegin", "Тәуке хан|Тауке хана", "Бұқар жырау|Бухар жырау",
		"Ақжол|Акжол", "Жұмекен Нәжімеденов|Жумекена Нажимеденова",
		"Хакім Ғабдуллин|Хакима Габдуллина",
		"Сүлейменов|Сулейменова", "Тұрар Рысқұлов|Турара Рыскулова", "Ұлытау|Улытау",
	)...)
	defs = append(defs, placed("nura", micro, "Үркер|Уркер", "Жағалау|Жагалау")...)

	defs = append(defs, placed("saryarka", avenue,
		"Сарыарқа|Сарыарка", "Жеңіс|Победы|Zhenis", "Бөгенбай батыр|Богенбай батыра",
	)...)
	defs = append(defs, placed("saryarka", street,
		"Сәкен Сейфуллин|Сакена Сейфуллина|Saken Seifullin", "Иманов|Иманова",
		"Шоқан Уәлиханов|Шокана Валиханова|Shokan Valikhanov", "Бейбітшілік|Бейбитшилик",
		"Александр Пушкин|Александра Пушкина", "Жангелдин|Жангельдина",
		"Ілияс Есенберлин|Ильяса Есенберлина", "Қасым Аманжолов|Касыма Аманжолова",
		"Міржақып Дулатов|Миржакыпа Дулатова", "Кравцов|Кравцова", "Омаров|Омарова",
		"Жұмабек Тәшенов|Жумабека Ташенова",
	)...)
	defs = append(defs, placed("saryarka", micro,
		"Көктал-1|Коктал-1", "Көктал-2|Коктал-2", "Күйгенжар|Куйгенжар",
	)...)

	defs = append(defs, placed("baikonur", avenue,
		"Республика|Республики|Respublika", "Абай|Абая",
	)...)
	defs = append(defs, placed("baikonur", street,
		"Отырар", "Желтоқсан|Желтоксан", "Әуезов|Ауэзова", "Мәскеу|Московская|Moskovskaya",
		"Петров|Петрова", "Ғабиден Мұстафин|Габидена Мустафина", "Бараев|Бараева",
		"Жамбыл|Жамбыла", "Кенесары", "Бигелдинов|Бигельдинова", "Қазыбек би|Казыбек би",
		"Төле би|Толе би", "Әйтеке би|Айтеке би", "Ташкент|Ташкентская|Tashkentskaya",
	)...)
	defs = append(defs, placed("baikonur", micro, "Өндіріс|Ондирис")...)

	defs = append(defs, placed("almaty", avenue,
		"Тәуелсіздік|Тауелсиздик", "Шәкәрім Құдайбердіұлы|Шакарима Кудайбердиулы",
		"Рақымжан Қошқарбаев|Рахимжана Кошкарбаева|Rakhymzhan Koshkarbaev",
		"Бауыржан Момышұлы|Бауыржана Момышулы", "Мағжан Жұмабаев|Магжана Жумабаева",
		"Абылай хан|Абылай хана",
	)...)
	defs = append(defs, placed("almaty", highway, "Алаш")...)
	defs = append(defs, placed("almaty", street,
		"Күйші Дина|Куйши Дина", "Қажымұқан|Кажымукана", "Бейімбет Майлин|Беимбета Майлина",
		"Ықылас Дүкенұлы|Ыкыласа Дукенулы", "Шарль де Голль|Шарля де Голля|Charles de Gaulle",
		"Ақан сері|Акан серы|Akan Seri", "Иса Байзақов|Исы Байзакова", "Тлендиев|Тлендиева",
		"Жансүгіров|Жансугурова", "Бабатайұлы|Бабатайулы",
	)...)
	defs = append(defs, placed("almaty", micro,
		"Оңтүстік-Шығыс|Юго-Восток|Yugo-Vostok", "Самал", "Жастар",
	)...)

	defs = append(defs, placed("sarayshyk", street,
		"Қорқыт ата|Коркыт ата", "Таңшолпан|Таншолпан", "Ақбидай|Акбидай",
		"Жас Ұлан|Жас Улан", "Кемел", "Алтынсарин|Алтынсарина", "Майқайың|Майкаин",
		"Атбасар", "Ақтоғай|Актогай", "Есіл|Есиль|Yesil",
	)...)
	defs = append(defs, placed("sarayshyk", micro, "Ильинка", "Тельман|Тельмана")...)
	return defs
}

// astanaNumbered returns the numbered streets of Astana's new quarters:
// «Е-…» on the left bank, «№ …» on the right.
func astanaNumbered() []numberedDef {
	return []numberedDef{
		{district: "yesil", format: "Е-%d", count: 30, max: 900},
		{district: "nura", format: "Е-%d", count: 30, max: 900},
		{district: "sarayshyk", format: "Е-%d", count: 25, max: 900},
		{district: "saryarka", format: "№ %d", count: 30, max: 150},
		{district: "baikonur", format: "№ %d", count: 25, max: 150},
		{district: "almaty", format: "№ %d", count: 30, max: 150},
	}
}
