package demo

import (
	"math/rand/v2"
	"strings"
)

// style is how a family writes its names.
type style int

const (
	// kazakhKK: Kazakh names in Kazakh letters, patronymics in -ұлы/-қызы
	// (Нұрланұлы, Нұрланқызы).
	kazakhKK style = iota
	// kazakhRU: Kazakh names in Russian letters, Russian-style patronymics
	// (Нурланович, Нурлановна).
	kazakhRU
	// russian: Russian names (and the surnames of Koreans, Ukrainians,
	// Tatars, Germans who write their names the Russian way).
	russian
)

// The name tables. An entry "kk|ru" gives the Russian spelling where
// writing the Kazakh letters the Russian way (kkToRu) would be wrong; a
// Russian man's entry "name|son's patronymic|daughter's patronymic".
// Surnames are in the male form. Adult Kazakh men's names all end in a
// consonant, so that patronymics can be made from them by rule.
var (
	kazakhMen = []string{
		"Нұрлан", "Ерлан", "Асқар", "Бауыржан", "Серік", "Болат", "Марат", "Дәурен", "Ержан",
		"Айдар", "Арман", "Қанат", "Ғалым", "Мұрат", "Нұржан", "Ермек", "Бақыт|Бахыт", "Дархан",
		"Ерболат", "Жандос", "Талғат", "Руслан", "Азамат", "Асхат", "Данияр", "Мейрам", "Самат",
		"Тимур", "Әділет", "Нұрсұлтан", "Әлібек", "Жасұлан", "Бекзат", "Санжар", "Мирас",
		"Алмас", "Ерік", "Қайрат", "Бейбіт", "Досжан", "Еркебұлан", "Берік", "Дастан",
		"Жанболат", "Мақсат", "Ринат", "Ербол", "Төлеген", "Әсет", "Ғабит", "Нұрбек",
		"Ақылбек", "Рүстем|Рустем", "Ильяс", "Серікбай",
	}
	kazakhWomen = []string{
		"Айгүл|Айгуль", "Гүлнар|Гульнар", "Динара", "Жанар", "Сәуле", "Ләззат|Ляззат",
		"Әсел|Асель", "Гүлмира|Гульмира", "Мәдина", "Айжан", "Жанна", "Назгүл|Назгуль",
		"Ақмарал", "Салтанат", "Анар", "Айнұр", "Балжан", "Дана", "Индира", "Камила",
		"Меруерт", "Гүлназ|Гульназ", "Әйгерім", "Аида", "Ботагөз", "Шынар", "Маржан",
		"Жұлдыз", "Гүлжан|Гульжан", "Ақбота", "Бибігүл|Бибигуль", "Сымбат", "Дариға",
		"Арайлым", "Әсем|Асем", "Жазира", "Лаура", "Райхан", "Әлия|Алия", "Гауһар|Гаухар",
		"Эльмира", "Нұргүл|Нургуль", "Ақерке", "Мөлдір", "Данагүл|Данагуль", "Құралай",
		"Толқын", "Қарлығаш", "Айсұлу", "Баян",
	}
	kazakhBoys = []string{
		"Әлихан", "Нұрислам", "Алдияр", "Айсұлтан", "Ерасыл", "Нұрсұлтан", "Әмір", "Алинұр",
		"Арсен", "Ансар", "Бекасыл", "Дінмұхаммед", "Ерназар", "Жандәулет", "Ибраһим",
		"Мұхаммед", "Нұрдәулет", "Омар", "Рамазан", "Санжар", "Тамерлан", "Темірлан", "Хамза",
		"Ясин", "Айдос", "Әлішер", "Ислам", "Ерсұлтан", "Мансұр", "Абылай", "Нұрәли", "Диас",
		"Ақжол", "Алан", "Шыңғыс", "Ахмет", "Бауыржан", "Еламан",
	}
	kazakhGirls = []string{
		"Айару", "Аяла", "Томирис", "Медина", "Амина", "Айлин", "Інжу", "Інкәр", "Жансая",
		"Аружан", "Айзере", "Дильназ", "Адия", "Сафия", "Хадиша", "Раяна", "Аяужан", "Ажар",
		"Айша", "Нұрай", "Ару", "Жасмин", "Айым", "Ханшайым", "Малика", "Айназ", "Зере",
		"Аделина", "Сабина", "Алиша", "Ақниет", "Әмина", "Ақбөпе",
	}
	kazakhSurnames = []string{
		"Сейітов", "Ахметов", "Омаров", "Жақсыбеков", "Бекмұхамедов", "Исабеков", "Нұрпейісов",
		"Серікбаев", "Әбдірахманов", "Сәрсенбаев", "Мұқанов", "Қасымов", "Жұмабаев", "Оспанов",
		"Төлеуов", "Байжанов", "Ержанов", "Әлиев", "Мұсабаев", "Есенов", "Қалиев", "Тұрсынов",
		"Абдуллаев", "Смағұлов", "Кенжебаев", "Қожахметов", "Бейсенов", "Ысқақов", "Мамыров",
		"Жанұзақов", "Сұлтанов", "Ибраев", "Рахимов", "Шәкенов", "Әміров", "Жолдасбеков",
		"Сүлейменов", "Бектұров", "Құдайбергенов", "Әбілов", "Досмағамбетов", "Қуанышев",
		"Ермеков", "Айтбаев", "Бекболатов", "Өмірзақов", "Дүйсенов", "Бекетов", "Тәжібаев",
		"Оразов", "Нұрмағамбетов", "Сыздықов", "Жүсіпов", "Түсіпов", "Әшімов", "Шалабаев",
		"Ізбасаров", "Әубәкіров", "Нүсіпов", "Қонысбаев", "Маханов", "Қасенов", "Ережепов",
		"Жаңабаев", "Бердібеков", "Мусин", "Байтұрсынов", "Темірханов", "Қалжанов", "Сапаров",
		"Оралбаев", "Рысбеков", "Бақытжанов", "Асанов", "Үсенов", "Мұратов", "Серіков",
		"Кәрімов", "Назарбеков", "Алпысбаев", "Мырзахметов", "Тоқтаров", "Шынтасов",
		"Баймұханов", "Садықов", "Жақыпов", "Ақылбеков",
	}

	russianMen = []string{
		"Александр|Александрович|Александровна", "Сергей|Сергеевич|Сергеевна",
		"Андрей|Андреевич|Андреевна", "Алексей|Алексеевич|Алексеевна",
		"Дмитрий|Дмитриевич|Дмитриевна", "Владимир|Владимирович|Владимировна",
		"Евгений|Евгеньевич|Евгеньевна", "Игорь|Игоревич|Игоревна",
		"Максим|Максимович|Максимовна", "Олег|Олегович|Олеговна", "Павел|Павлович|Павловна",
		"Роман|Романович|Романовна", "Николай|Николаевич|Николаевна",
		"Виктор|Викторович|Викторовна", "Денис|Денисович|Денисовна",
		"Константин|Константинович|Константиновна", "Михаил|Михайлович|Михайловна",
		"Иван|Иванович|Ивановна", "Артём|Артёмович|Артёмовна", "Вадим|Вадимович|Вадимовна",
		"Юрий|Юрьевич|Юрьевна", "Антон|Антонович|Антоновна", "Илья|Ильич|Ильинична",
		"Виталий|Витальевич|Витальевна", "Анатолий|Анатольевич|Анатольевна",
		"Станислав|Станиславович|Станиславовна", "Геннадий|Геннадьевич|Геннадьевна",
		"Валерий|Валерьевич|Валерьевна", "Кирилл|Кириллович|Кирилловна",
		"Григорий|Григорьевич|Григорьевна",
	}
	russianWomen = []string{
		"Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Анна", "Юлия",
		"Екатерина", "Марина", "Оксана", "Людмила", "Галина", "Надежда", "Анастасия",
		"Мария", "Виктория", "Алина", "Ксения", "Дарья", "Евгения", "Вера", "Лариса", "Инна",
		"Жанна", "Алёна", "Кристина", "Валерия", "Яна", "Полина",
	}
	russianBoys = []string{
		"Артём", "Максим", "Александр", "Михаил", "Марк", "Лев", "Матвей", "Даниил", "Кирилл",
		"Тимофей", "Иван", "Егор", "Никита", "Илья", "Роман", "Дмитрий", "Арсений", "Фёдор",
		"Глеб", "Владислав",
	}
	russianGirls = []string{
		"София", "Анна", "Мария", "Алиса", "Ева", "Виктория", "Полина", "Варвара", "Вероника",
		"Милана", "Арина", "Злата", "Дарья", "Ксения", "Александра", "Василиса", "Ульяна",
		"Кира", "Екатерина", "Маргарита",
	}
	russianSurnames = []string{
		"Иванов", "Петров", "Смирнов", "Кузнецов", "Попов", "Васильев", "Соколов", "Михайлов",
		"Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров",
		"Павлов", "Козлов", "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин",
		"Захаров", "Зайцев", "Соловьёв", "Борисов", "Яковлев", "Григорьев", "Романов",
		"Воробьёв", "Сергеев", "Кузьмин", "Фролов", "Александров", "Дмитриев", "Королёв",
		"Гусев", "Киселёв", "Ильин", "Максимов", "Поляков", "Сорокин", "Виноградов", "Ковалёв",
		"Белов", "Медведев", "Антонов", "Тарасов", "Жуков", "Баранов", "Филиппов", "Комаров",
		"Давыдов", "Беляев", "Герасимов", "Богданов", "Осипов", "Сидоров", "Матвеев", "Титов",
		"Марков", "Миронов", "Крылов", "Куликов", "Карпов", "Власов", "Мельников", "Денисов",
		"Вишневский", "Полянский", "Шевченко", "Бондаренко", "Коваленко", "Кравченко",
		"Ткаченко", "Ким", "Пак", "Цой", "Ли", "Тен", "Хабибуллин", "Сафин", "Шмидт", "Миллер",
	}
)

// man is a man's first name in a family's spelling, with the patronymics
// his son and daughter take from it.
type man struct {
	name, son, daughter string
}

// spell returns a "kk|ru" table entry in the style's letters.
func (st style) spell(entry string) string {
	kk, ru, found := strings.Cut(entry, "|")
	switch {
	case st != kazakhRU:
		return kk
	case found:
		return ru
	default:
		return kkToRu(kk)
	}
}

// man draws a man's first name.
func (st style) man(r *rand.Rand) man {
	if st == russian {
		parts := strings.Split(pick(r, russianMen), "|")
		return man{name: parts[0], son: parts[1], daughter: parts[2]}
	}
	return st.kazakhMan(pick(r, kazakhMen))
}

// kazakhMan returns a Kazakh man's name from its table entry, with the
// patronymics made from it: Нұрланұлы, Нұрланқызы in Kazakh letters;
// Нурланович, Нурлановна or Серикбаевич, Серикбаевна in Russian ones.
func (st style) kazakhMan(entry string) man {
	name := st.spell(entry)
	if st == kazakhKK {
		return man{name: name, son: name + "ұлы", daughter: name + "қызы"}
	}
	if stem, ok := strings.CutSuffix(name, "й"); ok {
		return man{name: name, son: stem + "евич", daughter: stem + "евна"}
	}
	return man{name: name, son: name + "ович", daughter: name + "овна"}
}

// woman draws a woman's first name.
func (st style) woman(r *rand.Rand) string {
	if st == russian {
		return pick(r, russianWomen)
	}
	return st.spell(pick(r, kazakhWomen))
}

// child draws a child's first name.
func (st style) child(r *rand.Rand, male bool) string {
	switch {
	case st == russian && male:
		return pick(r, russianBoys)
	case st == russian:
		return pick(r, russianGirls)
	case male:
		return st.spell(pick(r, kazakhBoys))
	default:
		return st.spell(pick(r, kazakhGirls))
	}
}

// surname draws a family name in its male form.
func (st style) surname(r *rand.Rand) string {
	if st == russian {
		return pick(r, russianSurnames)
	}
	return st.spell(pick(r, kazakhSurnames))
}

// surnameFor returns a surname in the form for a man or a woman:
// Сейітов, Сейітова; Вишневский, Вишневская; Ким, Ким.
func surnameFor(surname string, male bool) string {
	if male {
		return surname
	}
	if stem, ok := strings.CutSuffix(surname, "ский"); ok {
		return stem + "ская"
	}
	for _, end := range []string{"ов", "ев", "ёв", "ин", "ын"} {
		if strings.HasSuffix(surname, end) {
			return surname + "а"
		}
	}
	return surname
}

// patronymic returns the patronymic a child takes from the father.
func (m man) patronymic(male bool) string {
	if male {
		return m.son
	}
	return m.daughter
}

// fullName draws a whole adult name, surname first, as directors are
// written.
func (st style) fullName(r *rand.Rand, male bool) string {
	surname := surnameFor(st.surname(r), male)
	first := st.woman(r)
	if male {
		first = st.man(r).name
	}
	return surname + " " + first + " " + st.man(r).patronymic(male)
}
